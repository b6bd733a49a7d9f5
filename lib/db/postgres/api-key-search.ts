import "server-only";
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
import { pool } from "./pool";

/**
 * PostgreSQL search over a tenant's keys, the same plan as SQLite's: each part of a match is
 * drawn from its index up to a bound (ID prefixes from the primary key, names from the pg_trgm
 * GIN index, owners' keys of the status asked for from the owner index); few candidates are read,
 * sorted and counted in one pass, many make a walk of the sort index (migration
 * `admin_key_search_order` adds the ones keyset pages need). Every value is a bound parameter.
 */

/** Up to this many candidates: read and sort them all; more: walk the sort index. */
const CANDIDATE_CAP = 2000;
/**
 * A GIN bitmap scan reads every match before the first row comes back, so a name that the
 * planner expects in more keys than this is tested while walking instead of drawn from the index.
 */
const BROAD_NAME_ESTIMATE = 20_000;
/** Keys a count reads at most when no index tells how many match. */
const COUNT_WALK_BUDGET = 10_000;
/** Up to this many keys, a walk of an index without owner or status tests their IDs instead. */
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
  k."revokedAt", k."id" AS "tie"`;

/** Runs `sql` with `?` placeholders numbered for PostgreSQL, through the driver's pool. */
async function query<Row>(sql: string, params: unknown[]): Promise<Row[]> {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  const result = await pool().query({ text, values: params });
  return result.rows as Row[];
}

async function ids(sql: string, params: unknown[]): Promise<string[]> {
  return (await query<{ id: string }>(sql, params)).map((row) => row.id);
}

/** Whether `column` contains (or starts with) the lowercase `text`, through its trigram index. */
function like(column: string, text: string, position: "contains" | "startsWith"): SqlPart {
  const pattern = `${position === "contains" ? "%" : ""}${likeEscaped(text)}%`;
  return { sql: `lower(${column}) LIKE ?`, params: [pattern] };
}

function statusCondition(where: KeyStatusWhere, key = "k"): SqlPart {
  const parts = [`${key}."revokedAt" IS ${where.revokedAt === null ? "" : "NOT "}NULL`];
  const params: unknown[] = [];
  if (where.expiresAt) {
    const { lte, gt } = where.expiresAt;
    parts.push(`${key}."expiresAt" ${lte ? "<=" : ">"} ?`);
    params.push(lte ?? gt);
  }
  return { sql: parts.join(" AND "), params };
}

/** The tenant's users whose name or email contains the term (or starts with a short one). */
function matchingOwners(tenantId: string, match: KeySearchMatch): Promise<string[]> {
  const position = match.mode === "substring" ? "contains" : "startsWith";
  const name = like('"name"', match.text, position);
  const email = like('"email"', match.text, position);
  return ids(`SELECT "id" FROM "User" WHERE "tenantId" = ? AND (${name.sql} OR ${email.sql})`, [
    tenantId,
    ...name.params,
    ...email.params,
  ]);
}

/** How many keys the planner expects a name to match, from the statistics of its index. */
async function estimatedNameMatches(pattern: SqlPart): Promise<number> {
  const [row] = await query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM "ApiKey" WHERE ${pattern.sql}`,
    pattern.params,
  );
  return row["QUERY PLAN"][0].Plan["Plan Rows"];
}

/**
 * One owner's keys of a status (all of them without one), by ID, for a lateral join: one index
 * range of the owner index (`ownerId, revokedAt, expiresAt, id`) each, read from the index alone.
 */
function ownerKeys(owner: string, status: KeyStatusWhere | undefined): string {
  const ofStatus = status ? `AND ${statusCondition(status, "k2").sql}` : "";
  return `SELECT k2."id" FROM "ApiKey" k2 WHERE k2."ownerId" = ${owner}."id" ${ofStatus}`;
}

function ownerKeyIds(owners: string[], status: KeyStatusWhere | undefined, limit: number) {
  return ids(
    `SELECT k."id" FROM unnest(?::text[]) AS o("id")
     CROSS JOIN LATERAL (${ownerKeys("o", status)}) k LIMIT ${limit}`,
    [owners, ...(status ? statusCondition(status).params : [])],
  );
}

/** Where the keys matching a term come from, each part drawn from its index up to `limit`. */
interface TermSources {
  match: KeySearchMatch;
  owners: string[];
  /** IDs of those owners' keys (of the status asked for). */
  ownerKeys: string[];
  byId: string[];
  byName: string[];
  idOverflow: boolean;
  /** True also when the name was too broad to draw from its index at all. */
  nameOverflow: boolean;
  /** Whether some part reached `limit`, so that more keys may match than were drawn. */
  overflow: boolean;
}

async function drawByName(match: KeySearchMatch, limit: number): Promise<string[] | null> {
  if (match.mode !== "substring") return [];
  const name = like('"description"', match.text, "contains");
  if ((await estimatedNameMatches(name)) > BROAD_NAME_ESTIMATE) return null;
  return ids(`SELECT "id" FROM "ApiKey" WHERE ${name.sql} LIMIT ${limit}`, name.params);
}

async function termSources(
  params: KeySearchParams,
  match: KeySearchMatch,
  limit: number,
): Promise<TermSources> {
  const owners = await matchingOwners(params.tenantId, match);
  const status = params.status && statusCondition(params.status.where);
  const range = match.idRange;
  const [ownerKeys, byId, byName] = await Promise.all([
    owners.length ? ownerKeyIds(owners, params.status?.where, limit) : [],
    range
      ? ids(
          `SELECT "id" FROM "ApiKey" WHERE "id" >= ? ${range.to ? `AND "id" < ?` : ""} LIMIT ${limit}`,
          range.to ? [range.from, range.to] : [range.from],
        )
      : [],
    drawByName(match, limit),
  ]);
  const idOverflow = byId.length >= limit;
  const nameOverflow = byName === null || byName.length >= limit;
  return {
    match,
    owners,
    ownerKeys,
    byId,
    byName: byName ?? [],
    idOverflow,
    nameOverflow,
    overflow: idOverflow || nameOverflow || ownerKeys.length >= limit,
  };
}

/**
 * The parts of a term: the drawn IDs of the parts drawn whole, the column tests of those that
 * overflowed (strpos, as the trigram index is no use for a name that broad).
 */
function termParts(sources: TermSources): SqlPart[] {
  const parts: SqlPart[] = [];
  const drawn = [
    ...(sources.idOverflow ? [] : sources.byId),
    ...(sources.nameOverflow ? [] : sources.byName),
  ];
  if (drawn.length) parts.push({ sql: `k."id" = ANY(?::text[])`, params: [drawn] });
  const range = sources.match.idRange;
  if (range && sources.idOverflow) {
    parts.push(
      range.to
        ? { sql: `k."id" >= ? AND k."id" < ?`, params: [range.from, range.to] }
        : { sql: `k."id" >= ?`, params: [range.from] },
    );
  }
  if (sources.nameOverflow) {
    parts.push({ sql: `strpos(lower(k."description"), ?) > 0`, params: [sources.match.text] });
  }
  return parts;
}

function ownersCondition(owners: string[]): SqlPart {
  return { sql: `k."ownerId" = ANY(?::text[])`, params: [owners] };
}

/** The term as a condition on the keys of another path. */
function termCondition(sources: TermSources): SqlPart {
  return or([
    ...termParts(sources),
    ...(sources.owners.length ? [ownersCondition(sources.owners)] : []),
  ]);
}

/**
 * The owner part of a term (with the status), or the status alone, as the IDs of those keys from
 * the owner index, when there are few enough: a walk of an index that holds neither owner nor
 * status then tests the ID it carries (a hashed set) instead of reading each key it passes over.
 */
async function keySetCondition(
  tenantId: string,
  owners: string[] | null,
  status: KeyStatusWhere | undefined,
): Promise<SqlPart | undefined> {
  const ofStatus = status ? statusCondition(status).params : [];
  const set = owners
    ? {
        sql: `SELECT k."id" FROM unnest(?::text[]) AS o("id")
          CROSS JOIN LATERAL (${ownerKeys("o", status)}) k`,
        params: [owners, ...ofStatus],
      }
    : {
        sql: `SELECT k."id" FROM "User" u CROSS JOIN LATERAL (${ownerKeys("u", status)}) k
          WHERE u."tenantId" = ?`,
        params: [...ofStatus, tenantId],
      };
  const size = await countOf(
    `SELECT count(*) AS n FROM (${set.sql} LIMIT ${KEY_SET_CAP + 1}) s`,
    set.params,
  );
  if (size > KEY_SET_CAP) return undefined;
  // IS TRUE keeps the planner from turning the set into a join run once per key: it stays one
  // hashed set, built once.
  return { sql: `(k."id" IN (${set.sql})) IS TRUE`, params: set.params };
}

/** One test of a walk, and whether the walked index holds every column the test reads. */
interface WalkTest {
  test: SqlPart;
  inIndex: boolean;
}

/** What each walk's index holds beside the sort column and the ID. */
const WALK_INDEX: Record<KeySortField, { owner: boolean; status: boolean; name: boolean }> = {
  created: { owner: true, status: true, name: false },
  status: { owner: true, status: true, name: false },
  owner: { owner: true, status: true, name: false },
  name: { owner: false, status: false, name: true },
  expires: { owner: false, status: false, name: false },
  lastUsed: { owner: false, status: false, name: false },
};

/**
 * What a walk tests on each key, as alternatives of tests: each part of the term with the status.
 * The owner part and the status become sets of IDs (from the owner index) where the walked index
 * holds neither, and they are few enough.
 */
async function walkTests(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
): Promise<WalkTest[][]> {
  const held = WALK_INDEX[params.sort];
  const ofStatus = status ? [{ test: statusCondition(status), inIndex: held.status }] : [];
  if (!sources) {
    const set = !held.status && status && (await keySetCondition(params.tenantId, null, status));
    return [set ? [{ test: set, inIndex: true }] : ofStatus];
  }
  const alternatives = termParts(sources).map((part) => [
    { test: part, inIndex: held.name || !part.sql.includes("description") },
    ...ofStatus,
  ]);
  if (sources.owners.length) {
    const set = !held.owner && (await keySetCondition(params.tenantId, sources.owners, status));
    const column = params.sort === "owner" ? 'u."id"' : 'k."ownerId"';
    const owners = { sql: `${column} = ANY(?::text[])`, params: [sources.owners] };
    alternatives.push(
      set ? [{ test: set, inIndex: true }] : [{ test: owners, inIndex: true }, ...ofStatus],
    );
  }
  return alternatives;
}

type SearchPlan =
  | { kind: "candidates"; ids: string[]; sources?: TermSources }
  | { kind: "walk"; sources?: TermSources };

/**
 * Which path a search takes: the keys matching the term when they are few; else the tenant's keys
 * of the status asked for when those are few (the term then filters them); else the sort index.
 */
async function planSearch(params: KeySearchParams, countCap: number): Promise<SearchPlan> {
  const limit = Math.max(CANDIDATE_CAP, countCap) + 1;
  const sources = params.match && (await termSources(params, params.match, limit));
  if (sources && !sources.overflow) {
    const hits = new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName]);
    if (hits.size <= CANDIDATE_CAP) return { kind: "candidates", ids: [...hits] };
  }
  if (params.status) {
    const ofStatus = await ids(
      `SELECT k."id" FROM "User" u CROSS JOIN LATERAL (${ownerKeys("u", params.status.where)}) k
       WHERE u."tenantId" = ? LIMIT ${limit}`,
      [...statusCondition(params.status.where).params, params.tenantId],
    );
    if (ofStatus.length <= CANDIDATE_CAP) return { kind: "candidates", ids: ofStatus, sources };
  }
  return { kind: "walk", sources };
}

function tenantCondition(tenantId: string): SqlPart {
  return { sql: 'k."tenantId" = ? AND u."tenantId" = ?', params: [tenantId, tenantId] };
}

interface RawRow {
  id: string;
  description: string;
  hint: string;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  tie: string;
}

function toRow(raw: RawRow): KeySearchRow {
  const iso = (date: Date | null) => date && date.toISOString();
  return {
    id: raw.id,
    description: raw.description,
    hint: raw.hint,
    ownerId: raw.ownerId,
    ownerName: raw.ownerName,
    ownerEmail: raw.ownerEmail,
    createdAt: raw.createdAt.toISOString(),
    updatedAt: raw.updatedAt.toISOString(),
    expiresAt: raw.expiresAt.toISOString(),
    lastUsedAt: iso(raw.lastUsedAt),
    revokedAt: iso(raw.revokedAt),
    tie: raw.tie,
  };
}

/**
 * A page out of the candidate keys and how many of them match, in one pass: rows before the
 * cursor stay in for the count and are sorted after the page.
 */
async function candidatePage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "candidates" }>,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
  limit: number,
): Promise<{ rows: KeySearchRow[]; matching: number }> {
  const tiers = params.statusTiers.map((tier, i) => {
    const condition = statusCondition(tier.where);
    return { sql: `WHEN ${condition.sql} THEN ${i}`, params: condition.params };
  });
  const where = and([
    { sql: `k."id" = ANY(?::text[])`, params: [plan.ids] },
    tenantCondition(params.tenantId),
    ...(params.status ? [statusCondition(params.status.where)] : []),
    ...(plan.sources ? [termCondition(plan.sources)] : []),
  ]);
  const columns = { sort: '"sortValue"', created: '"createdAt"', tie: '"tie"', tier: '"tier"' };
  const keys = orderKeys(params, columns, direction, cursor);
  const onPage = cursor ? keyset(keys) : { sql: "TRUE", params: [] };
  const rows = await query<RawRow & { onPage: boolean; matching: string }>(
    `SELECT *, ${onPage.sql} AS "onPage", count(*) OVER () AS "matching" FROM (
      SELECT ${SELECT_COLUMNS}, ${SORT_COLUMNS[params.sort]} AS "sortValue",
        CASE ${tiers.map((tier) => tier.sql).join(" ")} END AS "tier"
      FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
      WHERE ${where.sql}) c
    ORDER BY "onPage" DESC, ${orderBy(keys, true)} LIMIT ${limit}`,
    [...onPage.params, ...tiers.flatMap((tier) => tier.params), ...where.params],
  );
  return {
    rows: rows.filter((row) => row.onPage).map(toRow),
    matching: Number(rows[0]?.matching ?? 0),
  };
}

const TABLE_COLUMNS = (sort: KeySortField): OrderColumns => ({
  sort: SORT_COLUMNS[sort],
  created: 'k."createdAt"',
  tie: 'k."id"',
});

const alternatives = (tests: WalkTest[][], all: boolean): SqlPart =>
  or(tests.map((group) => and(group.filter((t) => all || t.inIndex).map((t) => t.test))));

/**
 * Keys of the tenant in the order of a sort index. The page's IDs come from the walked index alone
 * where it holds what the filters read (the indexes of migration `admin_key_search_order`); where
 * it does not, the index answers what it can first, and only the keys that pass are read for the
 * rest. Then the page's keys are read.
 */
async function walkPage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "walk" }>,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): Promise<KeySearchRow[]> {
  const cursor = keys[keys.length - 1].value !== null;
  const tests = await walkTests(params, plan.sources, status);
  const inIndex = and([...(cursor ? [keyset(keys)] : []), alternatives(tests, false)]);
  // Keys of the tenant's users are the tenant's keys: the owner walk starts from the users and
  // finds each one's keys (of a status, with their IDs) in the owner index.
  const from =
    params.sort === "owner"
      ? `"User" u JOIN "ApiKey" k ON k."ownerId" = u."id" WHERE u."tenantId" = ?`
      : `"ApiKey" k WHERE k."tenantId" = ?`;
  const order = orderBy(keys, true);
  let page: SqlPart;
  if (tests.every((group) => group.every((t) => t.inIndex))) {
    page = {
      sql: `SELECT k."id" FROM ${from} AND ${inIndex.sql} ORDER BY ${order} LIMIT ${limit}`,
      params: [params.tenantId, ...inIndex.params],
    };
  } else {
    // OFFSET 0 keeps the index's part a step of its own, which hands on keys in the index's order.
    const walked = keys.map((key, i) => ({ ...key, expr: `w."o${i}"` }));
    const rest = alternatives(tests, true);
    page = {
      sql: `SELECT k."id" FROM (
          SELECT ${keys.map((key, i) => `${key.expr} AS "o${i}"`).join(", ")}
          FROM ${from} AND ${inIndex.sql} ORDER BY ${order} OFFSET 0
        ) w JOIN "ApiKey" k ON k."id" = w."o${keys.length - 1}"
        WHERE ${rest.sql} ORDER BY ${orderBy(walked, true)} LIMIT ${limit}`,
      params: [params.tenantId, ...inIndex.params, ...rest.params],
    };
  }
  const rows = await query<RawRow>(
    `SELECT ${SELECT_COLUMNS} FROM (${page.sql}) page
     JOIN "ApiKey" k ON k."id" = page."id" JOIN "User" u ON u."id" = k."ownerId"
     WHERE u."tenantId" = ? ORDER BY ${order}`,
    [...page.params, params.tenantId],
  );
  return rows.map(toRow);
}

/** The status sort by walking: each status in turn, through the creation index. */
async function walkStatusPage(
  params: KeySearchParams,
  plan: Extract<SearchPlan, { kind: "walk" }>,
  direction: SortDirection,
  cursor: KeyCursor | undefined,
  limit: number,
): Promise<KeySearchRow[]> {
  const tiers = direction === "asc" ? params.statusTiers : [...params.statusTiers].reverse();
  const start = Math.max(
    0,
    tiers.findIndex((tier) => tier.status === cursor?.status),
  );
  const rows: KeySearchRow[] = [];
  for (let i = start; i < tiers.length && rows.length < limit; i++) {
    const from = cursor?.status === tiers[i].status ? cursor : undefined;
    const keys = orderKeys(params, TABLE_COLUMNS("status"), direction, from);
    rows.push(...(await walkPage(params, plan, tiers[i].where, keys, limit - rows.length)));
  }
  return rows;
}

async function countOf(sql: string, params: unknown[]): Promise<number> {
  const [row] = await query<{ n: string }>(sql, params);
  return Number(row.n);
}

/**
 * How many keys match a walked search, up to `cap`: the keys drawn from the term's indexes are
 * checked (tenant, status) until more than `cap` pass; a name too broad to draw is tested on the
 * tenant's first keys in table order instead. When more keys may match than were looked at, the
 * figure is a floor.
 */
async function countWalked(
  params: KeySearchParams,
  sources: TermSources | undefined,
  cap: number,
): Promise<KeySearchPage["total"]> {
  const status = params.status && statusCondition(params.status.where);
  if (!sources) {
    // A status filter comes to a walk only when more keys than the candidate cap have it.
    if (status) return { count: cap, capped: true };
    const n = await countOf(
      `SELECT count(*) AS n FROM (SELECT 1 FROM "ApiKey" WHERE "tenantId" = ? LIMIT ${cap + 1}) s`,
      [params.tenantId],
    );
    return { count: Math.min(n, cap), capped: n > cap };
  }
  // Keys of the tenant's users are the tenant's keys, and these have the status asked for.
  if (sources.ownerKeys.length > cap) return { count: cap, capped: true };
  if (sources.nameOverflow && sources.byName.length === 0) {
    const matching = and([termCondition(sources), ...(status ? [status] : [])]);
    const [row] = await query<{ n: string; read: string }>(
      `SELECT count(*) FILTER (WHERE ${matching.sql}) AS n, count(*) AS read
       FROM (SELECT * FROM "ApiKey" WHERE "tenantId" = ? LIMIT ${COUNT_WALK_BUDGET}) k`,
      [...matching.params, params.tenantId],
    );
    const n = Number(row.n);
    return { count: Math.min(n, cap), capped: n > cap || Number(row.read) >= COUNT_WALK_BUDGET };
  }
  const hits = [...new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName])];
  const where = and([
    { sql: `k."id" = ANY(?::text[]) AND k."tenantId" = ?`, params: [hits, params.tenantId] },
    ...(status ? [status] : []),
  ]);
  const n = await countOf(
    `SELECT count(*) AS n FROM (SELECT 1 FROM "ApiKey" k WHERE ${where.sql} LIMIT ${cap + 1}) s`,
    where.params,
  );
  return { count: Math.min(n, cap), capped: n > cap || sources.overflow };
}

/**
 * One page in the requested order, whether more rows lie beyond it in each direction, and how
 * many keys match, counted up to `countCap` only (a million-row count per request is too slow).
 */
export async function searchApiKeyRows(
  params: KeySearchParams,
  countCap: number,
): Promise<KeySearchPage> {
  const plan = await planSearch(params, countCap);
  const backwards = !params.after && !!params.before;
  const cursor = params.after ?? params.before;
  const direction = backwards ? flip(params.direction) : params.direction;
  const limit = Math.floor(params.limit) + 1;
  let fetched: KeySearchRow[];
  let total: KeySearchPage["total"];
  if (plan.kind === "candidates") {
    const page = await candidatePage(params, plan, direction, cursor, limit);
    fetched = page.rows;
    total = { count: Math.min(page.matching, countCap), capped: page.matching > countCap };
  } else {
    [fetched, total] = await Promise.all([
      params.sort === "status"
        ? walkStatusPage(params, plan, direction, cursor, limit)
        : walkPage(
            params,
            plan,
            params.status?.where,
            orderKeys(params, TABLE_COLUMNS(params.sort), direction, cursor),
            limit,
          ),
      countWalked(params, plan.sources, countCap),
    ]);
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
