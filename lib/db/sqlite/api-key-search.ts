import "server-only";
import type Database from "better-sqlite3";
import type {
  KeyCursor,
  KeySearchPage,
  KeySearchParams,
  KeySearchRow,
  KeySortField,
  SortDirection,
} from "@/lib/api-keys/key-search";
import type { ApiKeyStatus } from "@/lib/api-keys/schemas";
import { sqlite } from "./connection";
import { sqliteTime } from "./time";

/**
 * SQLite search over a tenant's keys that stays fast at a million rows: key-ID prefixes through the
 * primary-key range, substrings through the FTS5 trigram indexes of migration
 * `admin_key_search`, keyset pagination over indexed sort columns, and counts that stop at a cap.
 */

/** Fewer hits than this: collect them from the indexes, then sort; more: walk the sort index. */
const CANDIDATE_CAP = 5000;
const MIN_TRIGRAM_LENGTH = 3;
const STATUS_ORDER: ApiKeyStatus[] = ["active", "expired", "revoked"];

const SORT_COLUMNS: Record<Exclude<KeySortField, "status">, string> = {
  created: 'k."createdAt"',
  name: 'k."description"',
  owner: 'u."name"',
  expires: 'k."expiresAt"',
  lastUsed: 'k."lastUsedAt"',
};

const SELECT_COLUMNS = `k."id", k."description", k."hint", k."ownerId", u."name" AS "ownerName",
  u."email" AS "ownerEmail", k."createdAt", k."updatedAt", k."expiresAt", k."lastUsedAt", k."revokedAt", k.rowid AS "tie"`;

/** A phrase for FTS5 MATCH: the term as literal text, whatever characters it holds. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Key IDs are lowercase hex, so a hex term may be the start of one. */
function idPrefixRange(term: string): [string, string] | null {
  const prefix = term.toLowerCase();
  if (!/^[0-9a-f]{1,24}$/.test(prefix)) return null;
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

interface SqlPart {
  sql: string;
  params: unknown[];
}

function statusCondition(status: ApiKeyStatus, nowText: string): SqlPart {
  if (status === "revoked") return { sql: '+k."revokedAt" IS NOT NULL', params: [] };
  if (status === "expired") {
    return { sql: '+k."revokedAt" IS NULL AND +k."expiresAt" <= ?', params: [nowText] };
  }
  // Unary + keeps SQLite on the sort index instead of the expiry index and a full sort.
  return { sql: '+k."revokedAt" IS NULL AND +k."expiresAt" > ?', params: [nowText] };
}

/** Rows strictly past the cursor in the given order, with NULLs first when ascending (SQLite's order). */
function keysetCondition(column: string, direction: SortDirection, cursor: KeyCursor): SqlPart {
  const op = direction === "asc" ? ">" : "<";
  if (cursor.value === null) {
    if (direction === "asc") {
      return {
        sql: `((${column} IS NULL AND k.rowid > ?) OR ${column} IS NOT NULL)`,
        params: [cursor.tie],
      };
    }
    return { sql: `(${column} IS NULL AND k.rowid < ?)`, params: [cursor.tie] };
  }
  const nullsAfter = direction === "desc" ? ` OR ${column} IS NULL` : "";
  return {
    sql: `(${column} ${op} ? OR (${column} = ? AND k.rowid ${op} ?)${nullsAfter})`,
    params: [cursor.value, cursor.value, cursor.tie],
  };
}

type SearchPlan =
  { kind: "all" } | { kind: "candidates"; rowids: string } | { kind: "scan"; match: SqlPart };

const statements = new Map<string, Database.Statement>();
function prepared(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = sqlite().prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** The tenant's users whose name or email contains the term: through the trigram index when it can. */
function ownerMatch(tenantId: string, term: string): SqlPart {
  if (term.length >= MIN_TRIGRAM_LENGTH) {
    return {
      sql: `SELECT u2."id" FROM "UserSearch" s JOIN "User" u2 ON u2.rowid = s.rowid
        WHERE "UserSearch" MATCH ? AND u2."tenantId" = ?`,
      params: [ftsPhrase(term), tenantId],
    };
  }
  // A tenant has thousands of users, not millions: a scan of them is cheap.
  const lowered = term.toLowerCase();
  return {
    sql: `SELECT "id" FROM "User" WHERE "tenantId" = ?
      AND (instr(lower("name"), ?) > 0 OR instr(lower("email"), ?) > 0)`,
    params: [tenantId, lowered, lowered],
  };
}

/**
 * Which index path a term takes. Hits from the key-ID range, the name index and the owners' keys
 * are collected when they are few; a flood of them is filtered instead while walking the sort
 * index, which then meets a page's worth quickly. Names match from three characters (trigrams).
 */
function planSearch(tenantId: string, rawTerm: string | undefined): SearchPlan {
  const term = rawTerm?.trim() ?? "";
  if (!term) return { kind: "all" };
  const range = idPrefixRange(term) ?? ["", ""];
  const owners = ownerMatch(tenantId, term);
  const byName = term.length >= MIN_TRIGRAM_LENGTH;
  const hitSql = `SELECT rowid AS rid FROM "ApiKey" WHERE "id" >= ? AND "id" < ?
    ${byName ? `UNION SELECT rowid AS rid FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?` : ""}
    UNION SELECT k2.rowid AS rid FROM "ApiKey" k2 WHERE k2."ownerId" IN (${owners.sql})`;
  const hitParams = [range[0], range[1], ...(byName ? [ftsPhrase(term)] : []), ...owners.params];
  const hits = prepared(`SELECT rid FROM (${hitSql}) LIMIT ${CANDIDATE_CAP + 1}`)
    .pluck()
    .all(...hitParams) as number[];
  if (hits.length <= CANDIDATE_CAP) return { kind: "candidates", rowids: JSON.stringify(hits) };
  const lowered = term.toLowerCase();
  return {
    kind: "scan",
    match: {
      sql: `(k."id" >= ? AND k."id" < ?
        ${byName ? `OR instr(lower(k."description"), ?) > 0` : ""}
        OR k."ownerId" IN (${owners.sql}))`,
      params: [range[0], range[1], ...(byName ? [lowered] : []), ...owners.params],
    },
  };
}

function fromClause(plan: SearchPlan, sort: KeySortField): SqlPart {
  // CROSS JOIN fixes the loop order: SQLite would otherwise walk every owner and sort all keys.
  if (plan.kind === "candidates") {
    return {
      sql: `FROM json_each(?) hits CROSS JOIN "ApiKey" k ON k.rowid = hits.value
        JOIN "User" u ON u."id" = k."ownerId"`,
      params: [plan.rowids],
    };
  }
  if (sort === "owner") {
    // Owners in name order, each one's keys through the owner index: no sort of every key.
    return { sql: `FROM "User" u CROSS JOIN "ApiKey" k ON k."ownerId" = u."id"`, params: [] };
  }
  return { sql: `FROM "ApiKey" k CROSS JOIN "User" u ON u."id" = k."ownerId"`, params: [] };
}

function whereClause(
  params: Pick<KeySearchParams, "tenantId" | "now">,
  plan: SearchPlan,
  status: ApiKeyStatus | undefined,
  extra: SqlPart[],
): SqlPart {
  const parts: SqlPart[] = [
    { sql: 'k."tenantId" = ? AND u."tenantId" = ?', params: [params.tenantId, params.tenantId] },
  ];
  if (plan.kind === "scan") parts.push(plan.match);
  if (status) parts.push(statusCondition(status, sqliteTime(params.now)));
  parts.push(...extra);
  return {
    sql: `WHERE ${parts.map((part) => part.sql).join(" AND ")}`,
    params: parts.flatMap((part) => part.params),
  };
}

function selectPage(
  params: KeySearchParams,
  plan: SearchPlan,
  column: string,
  direction: SortDirection,
  status: ApiKeyStatus | undefined,
  cursor: KeyCursor | undefined,
  limit: number,
): KeySearchRow[] {
  const from = fromClause(plan, params.sort);
  const where = whereClause(
    params,
    plan,
    status,
    cursor ? [keysetCondition(column, direction, cursor)] : [],
  );
  const order = direction === "asc" ? "ASC" : "DESC";
  const sql = `SELECT ${SELECT_COLUMNS} ${from.sql} ${where.sql}
    ORDER BY ${column} ${order}, k.rowid ${order} LIMIT ${Math.floor(limit)}`;
  return prepared(sql).all(...from.params, ...where.params) as KeySearchRow[];
}

function flip(direction: SortDirection): SortDirection {
  return direction === "asc" ? "desc" : "asc";
}

/** The status sort: each status in turn (active, expired, revoked), newest first within each. */
function selectStatusPage(
  params: KeySearchParams,
  plan: SearchPlan,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
  limit: number,
): KeySearchRow[] {
  const tiers = params.status ? [params.status] : [...STATUS_ORDER];
  if (direction === "desc") tiers.reverse();
  // Within a tier, newest first when the status runs forwards; mirrored when walking backwards.
  const within: SortDirection = direction === "asc" ? "desc" : "asc";
  const start = cursor?.status ? tiers.indexOf(cursor.status) : 0;
  const rows: KeySearchRow[] = [];
  for (let i = Math.max(start, 0); i < tiers.length && rows.length < limit; i++) {
    const tierCursor = cursor?.status === tiers[i] ? cursor : undefined;
    rows.push(
      ...selectPage(
        params,
        plan,
        'k."createdAt"',
        within,
        tiers[i],
        tierCursor,
        limit - rows.length,
      ),
    );
  }
  return rows;
}

/**
 * One page in the requested order, whether more rows lie beyond it in each direction, and how
 * many keys match, counted up to `countCap` only (a million-row COUNT(*) per request is too slow).
 */
export function searchApiKeyRows(params: KeySearchParams, countCap: number): KeySearchPage {
  const plan = planSearch(params.tenantId, params.term);
  const backwards = !params.after && !!params.before;
  const cursor = params.after ?? params.before;
  const direction = backwards ? flip(params.direction) : params.direction;
  const fetched =
    params.sort === "status"
      ? selectStatusPage(params, plan, direction, cursor, params.limit + 1)
      : selectPage(
          params,
          plan,
          SORT_COLUMNS[params.sort],
          direction,
          params.status,
          cursor,
          params.limit + 1,
        );
  const more = fetched.length > params.limit;
  const rows = fetched.slice(0, params.limit);
  if (backwards) rows.reverse();
  return {
    rows,
    hasNext: backwards ? true : more,
    hasPrevious: backwards ? more : !!cursor,
    total: countRows(params, plan, countCap),
  };
}

function countRows(
  params: KeySearchParams,
  plan: SearchPlan,
  cap: number,
): { count: number; capped: boolean } {
  // More than CANDIDATE_CAP hits (at most three per key) are already more than any cap shown.
  if (plan.kind === "scan" && !params.status && cap * 3 < CANDIDATE_CAP) {
    return { count: cap, capped: true };
  }
  const from = fromClause(plan, "created");
  const where = whereClause(params, plan, params.status, []);
  const row = prepared(
    `SELECT count(*) AS n FROM (SELECT 1 ${from.sql} ${where.sql} LIMIT ${Math.floor(cap) + 1})`,
  ).get(...from.params, ...where.params) as { n: number };
  return { count: Math.min(row.n, cap), capped: row.n > cap };
}
