import "server-only";
import type Database from "better-sqlite3";
import type { ApiKeyStatus } from "@/lib/api-keys/schemas";
import { sqlite } from "./sqlite";

/**
 * SQLite search over a tenant's keys that stays fast at a million rows: key-ID prefixes through the
 * primary-key range, substrings through the FTS5 trigram indexes of migration
 * `admin_key_search`, keyset pagination over indexed sort columns, and counts that stop at a cap.
 */

export type KeySortField = "created" | "name" | "owner" | "expires" | "lastUsed" | "status";
export type SortDirection = "asc" | "desc";

/** Where a page starts: after (or before) the row with this sort value and key ID. */
export interface KeyCursor {
  value: string | null;
  id: string;
  /** Status tier of the row, for the status sort. */
  status?: ApiKeyStatus;
}

export interface KeySearchParams {
  tenantId: string;
  term?: string;
  status?: ApiKeyStatus;
  sort: KeySortField;
  direction: SortDirection;
  after?: KeyCursor;
  before?: KeyCursor;
  limit: number;
  now: Date;
}

export interface KeySearchRow {
  id: string;
  description: string;
  hint: string;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

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
  u."email" AS "ownerEmail", k."createdAt", k."updatedAt", k."expiresAt", k."lastUsedAt", k."revokedAt"`;

/** SQLite keeps Prisma DateTimes as text in this shape; comparisons must use it too. */
export function sqliteDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

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
  if (status === "revoked") return { sql: 'k."revokedAt" IS NOT NULL', params: [] };
  if (status === "expired") {
    return { sql: 'k."revokedAt" IS NULL AND k."expiresAt" <= ?', params: [nowText] };
  }
  return { sql: 'k."revokedAt" IS NULL AND k."expiresAt" > ?', params: [nowText] };
}

/** Rows strictly past the cursor in the given order, with NULLs first when ascending (SQLite's order). */
function keysetCondition(column: string, direction: SortDirection, cursor: KeyCursor): SqlPart {
  const op = direction === "asc" ? ">" : "<";
  if (cursor.value === null) {
    if (direction === "asc") {
      return {
        sql: `((${column} IS NULL AND k."id" > ?) OR ${column} IS NOT NULL)`,
        params: [cursor.id],
      };
    }
    return { sql: `(${column} IS NULL AND k."id" < ?)`, params: [cursor.id] };
  }
  const nullsAfter = direction === "desc" ? ` OR ${column} IS NULL` : "";
  return {
    sql: `(${column} ${op} ? OR (${column} = ? AND k."id" ${op} ?)${nullsAfter})`,
    params: [cursor.value, cursor.value, cursor.id],
  };
}

type SearchPlan =
  { kind: "all" } | { kind: "candidates"; hits: SqlPart } | { kind: "scan"; match: SqlPart };

const statements = new Map<string, Database.Statement>();
function prepared(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = sqlite().prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Which index path a term takes: a handful of hits are collected, a flood is filtered in order. */
function planSearch(tenantId: string, rawTerm: string | undefined): SearchPlan {
  const term = rawTerm?.trim() ?? "";
  if (!term) return { kind: "all" };
  const range = idPrefixRange(term) ?? ["", ""];
  const lowered = term.toLowerCase();
  if (term.length >= MIN_TRIGRAM_LENGTH) {
    const phrase = ftsPhrase(term);
    const hits: SqlPart = {
      sql: `SELECT rowid AS rid FROM "ApiKey" WHERE "id" >= ? AND "id" < ?
        UNION SELECT rowid AS rid FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?
        UNION SELECT k2.rowid AS rid FROM "ApiKey" k2 WHERE k2."ownerId" IN (
          SELECT u2."id" FROM "UserSearch" s JOIN "User" u2 ON u2.rowid = s.rowid
          WHERE "UserSearch" MATCH ? AND u2."tenantId" = ?)`,
      params: [range[0], range[1], phrase, phrase, tenantId],
    };
    const probe = prepared(
      `SELECT count(*) AS n FROM (SELECT 1 FROM (${hits.sql.replaceAll("UNION SELECT", "UNION ALL SELECT")}) LIMIT ${CANDIDATE_CAP + 1})`,
    ).get(...hits.params) as { n: number };
    if (probe.n <= CANDIDATE_CAP) return { kind: "candidates", hits };
  }
  return {
    kind: "scan",
    match: {
      sql: `(k."id" >= ? AND k."id" < ?
        OR instr(lower(k."description"), ?) > 0
        OR k."ownerId" IN (SELECT "id" FROM "User" WHERE "tenantId" = ?
          AND (instr(lower("name"), ?) > 0 OR instr(lower("email"), ?) > 0)))`,
      params: [range[0], range[1], lowered, tenantId, lowered, lowered],
    },
  };
}

function fromClause(plan: SearchPlan, sort: KeySortField): SqlPart {
  if (plan.kind === "candidates") {
    // CROSS JOIN keeps SQLite from walking the whole tenant to probe a few hits.
    return {
      sql: `FROM (${plan.hits.sql}) hits CROSS JOIN "ApiKey" k ON k.rowid = hits.rid JOIN "User" u ON u."id" = k."ownerId"`,
      params: plan.hits.params,
    };
  }
  if (sort === "owner") {
    // Owners in name order, each one's keys through the owner index: no sort of every key.
    return { sql: `FROM "User" u CROSS JOIN "ApiKey" k ON k."ownerId" = u."id"`, params: [] };
  }
  return { sql: `FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"`, params: [] };
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
  if (status) parts.push(statusCondition(status, sqliteDateTime(params.now)));
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
    ORDER BY ${column} ${order}, k."id" ${order} LIMIT ${Math.floor(limit)}`;
  return prepared(sql).all(...from.params, ...where.params) as KeySearchRow[];
}

function flip(direction: SortDirection): SortDirection {
  return direction === "asc" ? "desc" : "asc";
}

export function rowStatus(row: KeySearchRow, now: Date): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (new Date(row.expiresAt).getTime() <= now.getTime()) return "expired";
  return "active";
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

/** One page in the requested order, plus whether more rows lie beyond it in each direction. */
export function searchApiKeyRows(params: KeySearchParams): {
  rows: KeySearchRow[];
  hasNext: boolean;
  hasPrevious: boolean;
} {
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
  };
}

/** The value a row is sorted by, for the cursor that starts the next page. */
export function cursorOf(row: KeySearchRow, sort: KeySortField, now: Date): KeyCursor {
  switch (sort) {
    case "created":
      return { value: row.createdAt, id: row.id };
    case "name":
      return { value: row.description, id: row.id };
    case "owner":
      return { value: row.ownerName, id: row.id };
    case "expires":
      return { value: row.expiresAt, id: row.id };
    case "lastUsed":
      return { value: row.lastUsedAt, id: row.id };
    case "status":
      return { value: row.createdAt, id: row.id, status: rowStatus(row, now) };
  }
}

/** How many keys match, counted up to `cap` only: a million-row COUNT(*) per request is too slow. */
export function countApiKeyRows(
  params: Pick<KeySearchParams, "tenantId" | "term" | "status" | "now">,
  cap: number,
): { count: number; capped: boolean } {
  const plan = planSearch(params.tenantId, params.term);
  const from = fromClause(plan, "created");
  const where = whereClause(params, plan, params.status, []);
  const row = prepared(
    `SELECT count(*) AS n FROM (SELECT 1 ${from.sql} ${where.sql} LIMIT ${Math.floor(cap) + 1})`,
  ).get(...from.params, ...where.params) as { n: number };
  return { count: Math.min(row.n, cap), capped: row.n > cap };
}
