import "server-only";
import type Database from "better-sqlite3";
import type {
  KeyCursor,
  KeySearchMatch,
  KeySearchPage,
  KeySearchParams,
  KeySearchRow,
  KeySortField,
  KeyStatusWhere,
  SortDirection,
} from "@/lib/api-keys/key-search";
import {
  and,
  flip,
  keyset,
  likeEscaped,
  or,
  orderBy,
  orderKeys,
  type OrderColumns,
  type OrderKey,
  type SqlPart,
} from "../key-search-sql";
import { sqlite } from "./connection";
import { sqliteTime } from "./time";

/**
 * SQLite search over a tenant's keys that stays fast at a million rows. Each part of a match is
 * first drawn from its own index, a bounded number of row IDs without reading a key: ID prefixes
 * from the primary key, names from the FTS5 trigram index of migration `admin_key_search`,
 * owners' keys (of the status asked for) from the owner index. When they are few, those keys are
 * read, sorted and counted in one pass; when they are many, the sort index is walked and filtered,
 * which then fills a page quickly. A key read out of table order costs microseconds, so no plan
 * reads more than a few thousand that way.
 */

/** Up to this many candidates: read and sort them all; more: walk the sort index. */
const CANDIDATE_CAP = 2000;
/** Up to this many keys, a walk out of table order tests a filter against their row IDs. */
const KEY_SET_CAP = 50_000;

const SORT_COLUMNS: Record<KeySortField, string> = {
  created: 'k."createdAt"',
  name: 'k."description"',
  owner: 'u."name"',
  expires: 'k."expiresAt"',
  lastUsed: 'k."lastUsedAt"',
  status: 'k."createdAt"',
};

const SELECT_COLUMNS = `k."id", k."description", k."hint", k."ownerId", u."name" AS "ownerName",
  u."email" AS "ownerEmail", k."createdAt", k."updatedAt", k."expiresAt", k."lastUsedAt",
  k."revokedAt", k.rowid AS "tie"`;

const statementsByHandle = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The connection's statement for `sql`, prepared once; with the case folding the search uses. */
function prepared(sql: string): Database.Statement {
  const handle = sqlite();
  let statements = statementsByHandle.get(handle);
  if (!statements) {
    // SQLite's lower() folds ASCII only; the trigram index and PostgreSQL fold every letter.
    handle.function("keyward_lower", { deterministic: true }, (text: unknown) =>
      typeof text === "string" ? text.toLowerCase() : text,
    );
    statements = new Map();
    statementsByHandle.set(handle, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = handle.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

function pluck<T>(sql: string, params: unknown[]): T[] {
  return prepared(sql)
    .pluck()
    .all(...params) as T[];
}

function count(sql: string, params: unknown[]): number {
  return prepared(sql)
    .pluck()
    .get(...params) as number;
}

const json = (values: unknown[]) => JSON.stringify(values);

/** A phrase for FTS5 MATCH: the term as literal text, whatever characters it holds. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Printable ASCII, which LIKE folds by itself (and fast). */
const ASCII = /^[ -~]*$/;

/** Whether `column` contains the lowercase `text`, in any case. */
function contains(column: string, text: string): SqlPart {
  if (ASCII.test(text)) {
    return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`%${likeEscaped(text)}%`] };
  }
  return { sql: `instr(keyward_lower(${column}), ?) > 0`, params: [text] };
}

function startsWith(column: string, text: string): SqlPart {
  if (ASCII.test(text)) {
    return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [`${likeEscaped(text)}%`] };
  }
  return { sql: `instr(keyward_lower(${column}), ?) = 1`, params: [text] };
}

/**
 * The status condition on key `k`. Unary + keeps SQLite on the sort index while walking it;
 * without it the owner index `(ownerId, revokedAt, expiresAt)` answers the condition by itself.
 */
function statusCondition(where: KeyStatusWhere, unary: "+" | "" = "+", key = "k"): SqlPart {
  const parts = [`${unary}${key}."revokedAt" IS ${where.revokedAt === null ? "" : "NOT "}NULL`];
  const params: unknown[] = [];
  if (where.expiresAt) {
    const { lte, gt } = where.expiresAt;
    parts.push(`${unary}${key}."expiresAt" ${lte ? "<=" : ">"} ?`);
    params.push(sqliteTime((lte ?? gt) as Date));
  }
  return { sql: parts.join(" AND "), params };
}

/** The tenant's users whose name or email contains the term (or starts with a short one). */
function matchingOwners(tenantId: string, match: KeySearchMatch): string[] {
  if (match.mode === "substring" && !ASCII.test(match.text)) {
    return pluck(
      `SELECT u."id" FROM "UserSearch" s JOIN "User" u ON u.rowid = s.rowid
       WHERE "UserSearch" MATCH ? AND u."tenantId" = ?`,
      [ftsPhrase(match.text), tenantId],
    );
  }
  // A tenant has thousands of users, not millions: reading them all beats the trigram index for
  // a term that most of them match, and costs little for one that few match.
  const test = match.mode === "substring" ? contains : startsWith;
  const name = test('"name"', match.text);
  const email = test('"email"', match.text);
  return pluck(`SELECT "id" FROM "User" WHERE "tenantId" = ? AND (${name.sql} OR ${email.sql})`, [
    tenantId,
    ...name.params,
    ...email.params,
  ]);
}

/** Where the keys matching a term come from, each part drawn from its index up to `limit`. */
interface TermSources {
  match: KeySearchMatch;
  owners: string[];
  /** Row IDs of those owners' keys (of the status asked for). */
  ownerKeys: number[];
  byId: number[];
  byName: number[];
  idOverflow: boolean;
  nameOverflow: boolean;
  /** Whether some part reached `limit`, so that more keys may match than were drawn. */
  overflow: boolean;
}

function termSources(params: KeySearchParams, match: KeySearchMatch, limit: number): TermSources {
  const owners = matchingOwners(params.tenantId, match);
  const status = params.status && statusCondition(params.status.where, "");
  const ownerKeys = owners.length
    ? pluck<number>(
        `SELECT k.rowid FROM json_each(?) owner CROSS JOIN "ApiKey" k ON k."ownerId" = owner.value
         ${status ? `WHERE ${status.sql}` : ""} LIMIT ${limit}`,
        [json(owners), ...(status?.params ?? [])],
      )
    : [];
  const range = match.idRange;
  const byId = range
    ? pluck<number>(
        `SELECT rowid FROM "ApiKey" WHERE "id" >= ? ${range.to ? `AND "id" < ?` : ""} LIMIT ${limit}`,
        range.to ? [range.from, range.to] : [range.from],
      )
    : [];
  const byName =
    match.mode === "substring"
      ? pluck<number>(
          `SELECT rowid FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?
           LIMIT ${limit}`,
          [ftsPhrase(match.text)],
        )
      : [];
  const idOverflow = byId.length >= limit;
  const nameOverflow = byName.length >= limit;
  return {
    match,
    owners,
    ownerKeys,
    byId,
    byName,
    idOverflow,
    nameOverflow,
    overflow: idOverflow || nameOverflow || ownerKeys.length >= limit,
  };
}

/** The parts of a term that were drawn whole, as row IDs; and those that overflowed, as tests. */
function termParts(sources: TermSources): SqlPart[] {
  const parts: SqlPart[] = [];
  const drawn = [
    ...(sources.idOverflow ? [] : sources.byId),
    ...(sources.nameOverflow ? [] : sources.byName),
  ];
  if (drawn.length) {
    parts.push({ sql: `+k.rowid IN (SELECT value FROM json_each(?))`, params: [json(drawn)] });
  }
  const range = sources.match.idRange;
  if (range && sources.idOverflow) {
    parts.push(
      range.to
        ? { sql: `+k."id" >= ? AND +k."id" < ?`, params: [range.from, range.to] }
        : { sql: `+k."id" >= ?`, params: [range.from] },
    );
  }
  if (sources.nameOverflow) parts.push(contains('k."description"', sources.match.text));
  return parts;
}

function ownersCondition(column: string, owners: string[]): SqlPart {
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [json(owners)] };
}

/** The term as a condition on the keys of another path (unary + keeps SQLite off their indexes). */
function termCondition(sources: TermSources): SqlPart {
  return or([
    ...termParts(sources),
    ...(sources.owners.length ? [ownersCondition('+k."ownerId"', sources.owners)] : []),
  ]);
}

/** Keys of these owners (all the tenant's users when none are given) of a status, from the owner index. */
function ownerKeySet(tenantId: string, owners: string[] | null, status?: KeyStatusWhere): SqlPart {
  const ofStatus = status ? statusCondition(status, "", "k2") : { sql: "TRUE", params: [] };
  if (owners) {
    return {
      sql: `SELECT k2.rowid FROM json_each(?) o CROSS JOIN "ApiKey" k2 ON k2."ownerId" = o.value
        WHERE ${ofStatus.sql}`,
      params: [json(owners), ...ofStatus.params],
    };
  }
  return {
    sql: `SELECT k2.rowid FROM "User" u2 CROSS JOIN "ApiKey" k2 ON k2."ownerId" = u2."id"
      WHERE u2."tenantId" = ? AND ${ofStatus.sql}`,
    params: [tenantId, ...ofStatus.params],
  };
}

/**
 * The owner part of a term (with the status), or the status alone, as a set of row IDs drawn from
 * the owner index, when it holds few enough keys: a walk out of table order then tests the row ID
 * its index carries instead of reading each key it passes over.
 */
function keySetCondition(set: SqlPart): SqlPart | undefined {
  const size = count(`SELECT count(*) FROM (${set.sql} LIMIT ${KEY_SET_CAP + 1})`, set.params);
  if (size > KEY_SET_CAP) return undefined;
  return { sql: `+k.rowid IN (${set.sql})`, params: set.params };
}

/**
 * What a walk tests on each key: the term, each part with the status. The creation index runs in
 * table order, so reading the keys it passes is cheap; other indexes run out of table order, so
 * the owner part and the status are tested against row IDs drawn from the owner index instead.
 */
function walkCondition(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
): SqlPart {
  const inTableOrder = params.sort === "created" || params.sort === "status";
  // The owner walk reads each owner's keys (with their status) from the owner index itself; the
  // expiry walk starts where the status's expiry range does.
  const byOwner = params.sort === "owner";
  const indexed = byOwner || params.sort === "expires";
  const ofStatus = status ? [statusCondition(status, indexed ? "" : "+")] : [];
  if (!sources) {
    const set =
      !inTableOrder &&
      !byOwner &&
      status &&
      keySetCondition(ownerKeySet(params.tenantId, null, status));
    return set || and(ofStatus);
  }
  const parts = termParts(sources).map((part) => and([part, ...ofStatus]));
  if (sources.owners.length) {
    const set =
      !inTableOrder &&
      !byOwner &&
      keySetCondition(ownerKeySet(params.tenantId, sources.owners, status));
    parts.push(
      set ||
        and([ownersCondition(byOwner ? '+u."id"' : '+k."ownerId"', sources.owners), ...ofStatus]),
    );
  }
  return or(parts);
}

type SearchPlan =
  | { kind: "candidates"; rowids: number[]; sources?: TermSources }
  | { kind: "walk"; sources?: TermSources };

/** Row IDs in table order: reading them so is cheaper than in the order an index gave them. */
function ascending(rowids: Iterable<number>): number[] {
  return [...rowids].sort((a, b) => a - b);
}

/**
 * Which path a search takes: the keys matching the term when they are few; else the tenant's keys
 * of the status asked for when those are few (the term then filters them); else the sort index.
 */
function planSearch(params: KeySearchParams, countCap: number): SearchPlan {
  const limit = Math.max(CANDIDATE_CAP, countCap) + 1;
  const sources = params.match && termSources(params, params.match, limit);
  if (sources && !sources.overflow) {
    const hits = new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName]);
    if (hits.size <= CANDIDATE_CAP) return { kind: "candidates", rowids: ascending(hits) };
  }
  if (params.status) {
    const status = statusCondition(params.status.where, "");
    const ofStatus = pluck<number>(
      `SELECT k.rowid FROM "User" u CROSS JOIN "ApiKey" k ON k."ownerId" = u."id"
       WHERE u."tenantId" = ? AND ${status.sql} LIMIT ${limit}`,
      [params.tenantId, ...status.params],
    );
    if (ofStatus.length <= CANDIDATE_CAP) {
      return { kind: "candidates", rowids: ascending(ofStatus), sources };
    }
  }
  return { kind: "walk", sources };
}

function tenantCondition(tenantId: string): SqlPart {
  return { sql: 'k."tenantId" = ? AND u."tenantId" = ?', params: [tenantId, tenantId] };
}

type CandidateRow = KeySearchRow & {
  onPage: number;
  matching: number;
  sortValue: unknown;
  tier: number;
};

/**
 * A page out of the candidate keys and how many of them match, in one pass: rows before the
 * cursor stay in for the count and are sorted after the page.
 */
function candidatePage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "candidates" }>,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
  limit: number,
): { rows: KeySearchRow[]; matching: number } {
  const tiers = params.statusTiers.map((tier, i) => {
    const condition = statusCondition(tier.where);
    return { sql: `WHEN ${condition.sql} THEN ${i}`, params: condition.params };
  });
  const where = and([
    tenantCondition(params.tenantId),
    ...(params.status ? [statusCondition(params.status.where)] : []),
    ...(plan.sources ? [termCondition(plan.sources)] : []),
  ]);
  const columns = { sort: '"sortValue"', created: '"createdAt"', tie: '"tie"', tier: '"tier"' };
  const keys = orderKeys(params, columns, direction, cursor);
  const onPage = cursor ? keyset(keys) : { sql: "1", params: [] };
  const sql = `SELECT *, ${onPage.sql} AS "onPage", count(*) OVER () AS "matching" FROM (
      SELECT ${SELECT_COLUMNS}, ${SORT_COLUMNS[params.sort]} AS "sortValue",
        CASE ${tiers.map((tier) => tier.sql).join(" ")} END AS "tier"
      FROM json_each(?) hits CROSS JOIN "ApiKey" k ON k.rowid = hits.value
      JOIN "User" u ON u."id" = k."ownerId"
      WHERE ${where.sql})
    ORDER BY "onPage" DESC, ${orderBy(keys)} LIMIT ${limit}`;
  const rows = prepared(sql).all(
    ...onPage.params,
    ...tiers.flatMap((tier) => tier.params),
    json(plan.rowids),
    ...where.params,
  ) as CandidateRow[];
  return {
    rows: rows
      .filter((row) => row.onPage)
      .map(({ onPage, matching, sortValue, tier, ...row }) => row),
    matching: rows[0]?.matching ?? 0,
  };
}

/** Keys of the tenant in the order of a sort index (the owners' name index for the owner sort). */
function walkPage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "walk" }>,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): KeySearchRow[] {
  const byOwner = params.sort === "owner";
  // CROSS JOIN fixes the loop order: SQLite would otherwise walk every owner and sort all keys.
  const from = byOwner
    ? `FROM "User" u CROSS JOIN "ApiKey" k ON k."ownerId" = u."id"`
    : `FROM "ApiKey" k CROSS JOIN "User" u ON u."id" = k."ownerId"`;
  const cursor = keys[keys.length - 1].value !== null;
  // SQLite tests the conditions in this order: cheapest first.
  const where = and([
    tenantCondition(params.tenantId),
    ...(cursor ? [keyset(keys)] : []),
    walkCondition(params, plan.sources, status),
  ]);
  const sql = `SELECT ${SELECT_COLUMNS} ${from} WHERE ${where.sql}
    ORDER BY ${orderBy(keys)} LIMIT ${limit}`;
  return prepared(sql).all(...where.params) as KeySearchRow[];
}

const TABLE_COLUMNS = (sort: KeySortField): OrderColumns => ({
  sort: SORT_COLUMNS[sort],
  created: 'k."createdAt"',
  tie: "k.rowid",
});

/** The status sort by walking: each status in turn, through the creation index. */
function walkStatusPage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "walk" }>,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
  limit: number,
): KeySearchRow[] {
  const tiers = direction === "asc" ? params.statusTiers : [...params.statusTiers].reverse();
  const start = Math.max(
    0,
    tiers.findIndex((tier) => tier.status === cursor?.status),
  );
  const rows: KeySearchRow[] = [];
  for (let i = start; i < tiers.length && rows.length < limit; i++) {
    const from = cursor?.status === tiers[i].status ? cursor : undefined;
    const keys = orderKeys(params, TABLE_COLUMNS("status"), direction, from);
    rows.push(...walkPage(params, plan, tiers[i].where, keys, limit - rows.length));
  }
  return rows;
}

/**
 * How many keys match a walked search, up to `cap`: the keys drawn from the term's indexes are
 * checked (tenant, status) until more than `cap` pass. When some index had more keys than were
 * drawn and fewer than that passed, the figure is a floor.
 */
function countWalked(
  params: KeySearchParams,
  sources: TermSources | undefined,
  cap: number,
): { count: number; capped: boolean } {
  if (!sources) {
    // A status filter comes to a walk only when more keys than the candidate cap have it.
    if (params.status) return { count: cap, capped: true };
    const n = count(
      `SELECT count(*) FROM (SELECT 1 FROM "ApiKey" WHERE "tenantId" = ? LIMIT ${cap + 1})`,
      [params.tenantId],
    );
    return { count: Math.min(n, cap), capped: n > cap };
  }
  // Keys of the tenant's users are the tenant's keys, and these have the status asked for.
  if (sources.ownerKeys.length > cap) return { count: cap, capped: true };
  const hits = new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName]);
  const status = params.status && statusCondition(params.status.where);
  const n = count(
    `SELECT count(*) FROM (SELECT 1 FROM json_each(?) hits
       CROSS JOIN "ApiKey" k ON k.rowid = hits.value
       WHERE k."tenantId" = ? ${status ? `AND ${status.sql}` : ""} LIMIT ${cap + 1})`,
    [json(ascending(hits)), params.tenantId, ...(status?.params ?? [])],
  );
  return { count: Math.min(n, cap), capped: n > cap || sources.overflow };
}

/**
 * One page in the requested order, whether more rows lie beyond it in each direction, and how
 * many keys match, counted up to `countCap` only (a million-row COUNT(*) per request is too slow).
 */
export function searchApiKeyRows(params: KeySearchParams, countCap: number): KeySearchPage {
  const plan = planSearch(params, countCap);
  const backwards = !params.after && !!params.before;
  const cursor = params.after ?? params.before;
  const direction = backwards ? flip(params.direction) : params.direction;
  const limit = Math.floor(params.limit) + 1;
  let fetched: KeySearchRow[];
  let total: KeySearchPage["total"];
  if (plan.kind === "candidates") {
    const page = candidatePage(params, plan, direction, cursor, limit);
    fetched = page.rows;
    total = { count: Math.min(page.matching, countCap), capped: page.matching > countCap };
  } else {
    fetched =
      params.sort === "status"
        ? walkStatusPage(params, plan, direction, cursor, limit)
        : walkPage(
            params,
            plan,
            params.status?.where,
            orderKeys(params, TABLE_COLUMNS(params.sort), direction, cursor),
            limit,
          );
    total = countWalked(params, plan.sources, countCap);
  }
  const more = fetched.length > params.limit;
  const rows = fetched.slice(0, params.limit);
  if (backwards) rows.reverse();
  return {
    rows,
    hasNext: backwards ? true : more,
    hasPrevious: backwards ? more : !!cursor,
    total,
  };
}
