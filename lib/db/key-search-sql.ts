import "server-only";
import type {
  KeyCursor,
  KeySearchMatch,
  KeySearchParams,
  KeySortField,
  SortDirection,
} from "@/lib/api-keys/key-search";

/**
 * SQL pieces of the key search that both engines write alike, with `?` placeholders: keyset
 * conditions and orders in which NULL sorts first ascending (SQLite's order, asked of PostgreSQL).
 */

export interface SqlPart {
  sql: string;
  params: unknown[];
}

export function and(parts: SqlPart[]): SqlPart {
  return {
    sql: parts.map((part) => `(${part.sql})`).join(" AND ") || "TRUE",
    params: parts.flatMap((part) => part.params),
  };
}

export function or(parts: SqlPart[]): SqlPart {
  return {
    sql: parts.map((part) => `(${part.sql})`).join(" OR ") || "FALSE",
    params: parts.flatMap((part) => part.params),
  };
}

/** The text with LIKE's wildcards and its escape character (backslash) taken literally. */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

export function flip(direction: SortDirection): SortDirection {
  return direction === "asc" ? "desc" : "asc";
}

/** One key of an order, with the cursor's value for it (null: the cursor's value is NULL). */
export interface OrderKey {
  expr: string;
  direction: SortDirection;
  value: unknown;
  nullable?: boolean;
}

/**
 * Rows strictly past the cursor in the order of `keys`. Each non-NULL value also bounds its
 * column (`>=`/`<=`), so that an index on it starts at the cursor instead of the first row.
 */
export function keyset([key, ...rest]: OrderKey[]): SqlPart {
  const ascending = key.direction === "asc";
  if (rest.length === 0) {
    return { sql: `${key.expr} ${ascending ? ">" : "<"} ?`, params: [key.value] };
  }
  const tail = keyset(rest);
  if (key.value === null) {
    const values = ascending ? ` OR ${key.expr} IS NOT NULL` : "";
    return { sql: `((${key.expr} IS NULL AND ${tail.sql})${values})`, params: tail.params };
  }
  const [bound, strict] = ascending ? [">=", ">"] : ["<=", "<"];
  const nulls = key.nullable && !ascending ? ` OR ${key.expr} IS NULL` : "";
  return {
    sql: `((${key.expr} ${bound} ? AND (${key.expr} ${strict} ? OR ${tail.sql}))${nulls})`,
    params: [key.value, key.value, ...tail.params],
  };
}

/** ORDER BY for `keys`; `nulls` spells out where NULL goes, for an engine whose default differs. */
export function orderBy(keys: OrderKey[], nulls = false): string {
  return keys
    .map((key) => {
      const direction = key.direction === "asc" ? "ASC" : "DESC";
      if (!nulls || !key.nullable) return `${key.expr} ${direction}`;
      return `${key.expr} ${direction} ${key.direction === "asc" ? "NULLS FIRST" : "NULLS LAST"}`;
    })
    .join(", ");
}

/** Where an order's values are: the key's columns, or a subquery's names for them. */
export interface OrderColumns {
  sort: string;
  created: string;
  tie: string;
  tier?: string;
}

/**
 * The order of a page: the sort column and the tie-breaker; for the status sort, the status tier
 * (when `columns.tier` names one), then newest first within it, mirrored when walking back.
 */
export function orderKeys(
  params: Pick<KeySearchParams, "sort" | "statusTiers">,
  columns: OrderColumns,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
): OrderKey[] {
  if (params.sort !== "status") {
    return [
      {
        expr: columns.sort,
        direction,
        value: cursor?.value ?? null,
        nullable: params.sort === "lastUsed",
      },
      { expr: columns.tie, direction, value: cursor?.tie ?? null },
    ];
  }
  const within = flip(direction);
  const tier = Math.max(
    0,
    params.statusTiers.findIndex((t) => t.status === cursor?.status),
  );
  return [
    ...(columns.tier ? [{ expr: columns.tier, direction, value: tier }] : []),
    { expr: columns.created, direction: within, value: cursor?.value ?? null },
    { expr: columns.tie, direction: within, value: cursor?.tie ?? null },
  ];
}

/** The column each sort orders by (the status sort orders each status tier by creation). */
export const SORT_COLUMNS: Record<KeySortField, string> = {
  created: 'k."createdAt"',
  name: 'k."description"',
  owner: 'u."name"',
  expires: 'k."expiresAt"',
  lastUsed: 'k."lastUsedAt"',
  status: 'k."createdAt"',
};

/** The columns of a sort's order, ending in the engine's tie-breaker column `tie`. */
export function tableColumns(sort: KeySortField, tie: string): OrderColumns {
  return { sort: SORT_COLUMNS[sort], created: 'k."createdAt"', tie };
}

/** A page's columns, with the engine's tie-breaker as "tie". */
export function selectColumns(tie: string): string {
  return `k."id", k."description", k."hint", k."ownerId", u."name" AS "ownerName",
  u."email" AS "ownerEmail", k."createdAt", k."updatedAt", k."expiresAt", k."lastUsedAt",
  k."revokedAt", ${tie} AS "tie"`;
}

/**
 * Matching owners up to this many make a page in name order from each one's first keys in that
 * order (each engine's owner-name index, migration `admin_key_search_owner_name_order`) instead of
 * a walk of the name order: a few owners' keys can lie anywhere in it, far from where a walk
 * starts, when their names have something in common (a team naming keys after its systems).
 */
const OWNERS_FIRST_CAP = 1000;

export function readsOwnersFirst(sort: KeySortField, owners: number): boolean {
  return sort === "name" && owners > 0 && owners <= OWNERS_FIRST_CAP;
}

/**
 * The columns of the name ranges (migration `admin_key_search_name_ranges`) for the sorts whose
 * order they record: where in that order the keys whose names hold each three-character piece lie.
 */
export const RANGE_COLUMNS: Partial<Record<KeySortField, { min: string; max: string }>> = {
  name: { min: '"minDescription"', max: '"maxDescription"' },
  owner: { min: '"minOwnerName"', max: '"maxOwnerName"' },
};

/** Where in a sort's order every key whose name holds a term lies, both ends included. */
export interface SortRange {
  first: unknown;
  last: unknown;
}

/** The three-character pieces of a term (of code points, as the ranges count them), each once. */
export function termTrigrams(text: string): string[] {
  const characters = Array.from(text);
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= characters.length; i++) {
    pieces.add(characters.slice(i, i + 3).join(""));
  }
  return [...pieces];
}

/**
 * Whether a walk keeps to the stretch of its order where the term's name lies: in an order the
 * ranges record, when a name too broad to draw is all the term matches (no owner, no key ID).
 */
export function keepsToNameRange(
  sort: KeySortField,
  sources: { match: KeySearchMatch; owners: unknown[]; nameOverflow: boolean },
): boolean {
  return (
    !!RANGE_COLUMNS[sort] &&
    sources.nameOverflow &&
    sources.owners.length === 0 &&
    !sources.match.idRange &&
    termTrigrams(sources.match.text).length > 0
  );
}

/** The name ranges' query for `range` (a column of RANGE_COLUMNS) of these pieces. */
export function rangeQuery(range: { min: string; max: string }, pieces: string): string {
  return `SELECT count(*) AS "n", max(${range.min}) AS "first", min(${range.max}) AS "last",
    max(${range.min}) <= min(${range.max}) AS "meets"
    FROM "ApiKeyNameTrigram" WHERE "tenantId" = ? AND "trigram" IN (${pieces})`;
}

/**
 * The keys' sort range from the ranges of the term's pieces: every key whose name holds the term
 * holds each piece, so it lies where all their ranges meet; null when they do not meet, or when a
 * piece is in no name.
 */
export function meetingRange(
  row: { n: unknown; first: unknown; last: unknown; meets: unknown } | undefined,
  pieces: number,
): SortRange | null {
  if (!row || Number(row.n) < pieces || !row.meets) return null;
  return { first: row.first, last: row.last };
}

/**
 * Where a walk along `keys` reads: past the cursor (if it has one) and, within `range`, from the
 * range's start (if it has none) to its end. A cursor comes from a key the walk returned, which lies
 * in the range.
 */
export function walkBounds(keys: OrderKey[], range?: SortRange): SqlPart {
  const started = keys[keys.length - 1].value !== null;
  if (!range) return started ? keyset(keys) : { sql: "TRUE", params: [] };
  const [key] = keys;
  const ascending = key.direction === "asc";
  const [start, end] = ascending ? [range.first, range.last] : [range.last, range.first];
  return and([
    started ? keyset(keys) : { sql: `${key.expr} ${ascending ? ">=" : "<="} ?`, params: [start] },
    { sql: `${key.expr} ${ascending ? "<=" : ">="} ?`, params: [end] },
  ]);
}
