import "server-only";
import type {
  KeyCursor,
  KeySearchPage,
  KeySearchParams,
  KeySearchRow,
  KeyStatusWhere,
  SortDirection,
} from "@/lib/api-keys/key-search";
import {
  and,
  flip,
  keyset,
  orderBy,
  orderKeys,
  readsOwnersFirst,
  selectColumns,
  SORT_COLUMNS,
  tableColumns,
  walkBounds,
  type OrderKey,
  type SortRange,
} from "../key-search-sql";
import {
  CANDIDATE_CAP,
  alternatives,
  countOf,
  drawTerm,
  planSearch,
  query,
  readsNamesFirst,
  sortRange,
  statusCondition,
  termCondition,
  walkTests,
  type WalkTest,
  type SearchPlan,
  type TermSources,
} from "./key-search-plan";

/**
 * PostgreSQL search over a tenant's keys, with the same results as SQLite's and the key ID as the
 * tie-breaker: a few candidate keys (./key-search-plan) are read, sorted and counted in one pass;
 * many make a walk of a sort index, filtered as it goes; counts stop at a cap. Every value is a
 * bound parameter.
 */

/**
 * Keys a walk takes from its index at first when the rest of its tests need the keys read; each
 * further chunk doubles, up to the largest.
 */
const WALK_CHUNK = 1000;
const WALK_CHUNK_MAX = 16_000;
/**
 * Keys a walk reads for their names, at most, before it draws the keys of a broad name from the
 * trigram index: a name most keys have fills a page within a few hundred, unless those keys lie
 * elsewhere in the order.
 */
const BROAD_NAME_WALK = 3000;
/** Keys a count reads at most when no index tells how many match. */
const COUNT_WALK_BUDGET = 10_000;

const TIE = 'k."id"';
const SELECT_COLUMNS = selectColumns(TIE);

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
    lastUsedAt: raw.lastUsedAt && raw.lastUsedAt.toISOString(),
    revokedAt: raw.revokedAt && raw.revokedAt.toISOString(),
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
    { sql: 'k."tenantId" = ? AND u."tenantId" = ?', params: [params.tenantId, params.tenantId] },
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

/**
 * The IDs of a walk's page, in order. Where the walked index holds what the tests read (the
 * indexes of migration `admin_key_search_order`), one query from the index alone; where it does
 * not, the index hands on the keys that pass its part of the tests a chunk at a time, and only
 * those keys are read for the rest.
 */
async function walkIds(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): Promise<string[]> {
  // A broad name alone: the walk keeps to where the keys with that name lie.
  const range = await sortRange(params, sources);
  if (range === null) return [];
  if (readsNamesFirst(params, sources)) {
    const read = await walkIdsWith(
      await walkTests(params, sources, status, "read"),
      params,
      keys,
      limit,
      range,
      BROAD_NAME_WALK,
    );
    if (read) return read;
  }
  const tests = await walkTests(params, sources, status);
  return (await walkIdsWith(tests, params, keys, limit, range)) ?? [];
}

/**
 * The walk of `walkIds` with these tests; undefined when it passed `budget` keys (that it had to
 * read) without filling the page.
 */
async function walkIdsWith(
  tests: WalkTest[][],
  params: KeySearchParams,
  keys: OrderKey[],
  limit: number,
  range: SortRange | undefined,
  budget = Infinity,
): Promise<string[] | undefined> {
  // Keys of the tenant's users are the tenant's keys: the owner walk starts from the users and
  // finds each one's keys (of a status, with their IDs) in the owner index.
  const from =
    params.sort === "owner"
      ? `"User" u JOIN "ApiKey" k ON k."ownerId" = u."id" WHERE u."tenantId" = ?`
      : `"ApiKey" k WHERE k."tenantId" = ?`;
  const inIndex = alternatives(tests, false);
  const step = (after: OrderKey[], take: number) => {
    const where = and([walkBounds(after, range), inIndex]);
    return query<Record<string, unknown>>(
      `SELECT ${keys.map((key, i) => `${key.expr} AS "o${i}"`).join(", ")} FROM ${from}
       AND ${where.sql} ORDER BY ${orderBy(keys, true)} LIMIT ${take}`,
      [params.tenantId, ...where.params],
    );
  };
  const tie = `o${keys.length - 1}`;
  if (tests.every((group) => group.every((t) => t.inIndex))) {
    return (await step(keys, limit)).map((row) => row[tie] as string);
  }
  const rest = alternatives(tests, true);
  const found: string[] = [];
  let read = 0;
  let after = keys;
  for (let size = WALK_CHUNK; ; size = Math.min(size * 2, WALK_CHUNK_MAX)) {
    const chunk = await step(after, size);
    if (chunk.length === 0) break;
    const passed = new Set(
      (
        await query<{ id: string }>(
          `SELECT k."id" FROM "ApiKey" k WHERE k."id" = ANY(?::text[]) AND ${rest.sql}`,
          [chunk.map((row) => row[tie]), ...rest.params],
        )
      ).map((row) => row.id),
    );
    for (const row of chunk) {
      if (passed.has(row[tie] as string)) found.push(row[tie] as string);
      if (found.length === limit) return found;
    }
    if (chunk.length < size) break;
    read += chunk.length;
    if (read >= budget) return undefined;
    const last = chunk[chunk.length - 1];
    after = keys.map((key, i) => ({ ...key, value: last[`o${i}`] }));
  }
  return found;
}

/** Keys of the status asked for (if any) past the cursor in `keys` (if it has one). */
function ofStatusPastCursor(status: KeyStatusWhere | undefined, keys: OrderKey[]) {
  return and([
    ...(status ? [statusCondition(status)] : []),
    ...(keys[keys.length - 1].value !== null ? [keyset(keys)] : []),
  ]);
}

/**
 * The IDs of a page in name order from each matching owner's first keys past the cursor (of the
 * status asked for), from the owner-name index alone, with the keys that match the term otherwise:
 * drawn when few, else walked for.
 */
async function ownersFirstIds(
  params: KeySearchParams,
  sources: TermSources,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): Promise<string[]> {
  const where = ofStatusPastCursor(status, keys);
  const others = { ...sources, owners: [], ownerKeys: [] };
  const [owned, otherIds] = await Promise.all([
    query<{ id: string }>(
      `SELECT k."id" FROM unnest(?::text[]) AS o("id") CROSS JOIN LATERAL (
         SELECT k."id", k."description" FROM "ApiKey" k WHERE k."ownerId" = o."id" AND ${where.sql}
         ORDER BY ${orderBy(keys, true)} LIMIT ${limit}) k
       ORDER BY ${orderBy(keys, true)} LIMIT ${limit}`,
      [sources.owners, ...where.params],
    ),
    others.idOverflow || others.nameOverflow
      ? walkIds(params, others, status, keys, limit)
      : [...others.byId, ...others.byName],
  ]);
  return [...owned.map((row) => row.id), ...otherIds];
}

/**
 * Keys of the tenant in the order of a sort index (the owners' name index for the owner sort), or
 * of a few owners' keys in name order.
 */
async function walkPage(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): Promise<KeySearchRow[]> {
  const ids =
    sources && readsOwnersFirst(params.sort, sources.owners.length)
      ? await ownersFirstIds(params, sources, status, keys, limit)
      : await walkIds(params, sources, status, keys, limit);
  if (ids.length === 0) return [];
  // Keys drawn for a term may lie before the cursor, or have another status.
  const where = and([
    { sql: `k."id" = ANY(?::text[]) AND u."tenantId" = ?`, params: [ids, params.tenantId] },
    ofStatusPastCursor(status, keys),
  ]);
  const rows = await query<RawRow>(
    `SELECT ${SELECT_COLUMNS} FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
     WHERE ${where.sql} ORDER BY ${orderBy(keys, true)} LIMIT ${limit}`,
    where.params,
  );
  return rows.map(toRow);
}

/**
 * The status sort: each status in turn (newest first within it), each planned on its own, so
 * that a status few keys have is read as candidates instead of walked for.
 */
async function statusPage(
  params: KeySearchParams,
  drawn: TermSources | undefined,
  bound: number,
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
    const tier = { ...params, status: tiers[i], statusTiers: [tiers[i]] };
    const from = cursor?.status === tiers[i].status ? cursor : undefined;
    const plan = await planSearch(tier, drawn, bound);
    rows.push(
      ...(plan.kind === "candidates"
        ? (await candidatePage(tier, plan, direction, from, limit - rows.length)).rows
        : await walkPage(
            tier,
            plan.sources,
            tiers[i].where,
            orderKeys(tier, tableColumns("status", TIE), direction, from),
            limit - rows.length,
          )),
    );
  }
  return rows;
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
  const bound = Math.max(CANDIDATE_CAP, countCap) + 1;
  const drawn = params.match && (await drawTerm(params.tenantId, params.match, bound));
  const plan = await planSearch(params, drawn, bound);
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
        ? statusPage(params, drawn, bound, direction, cursor, limit)
        : walkPage(
            params,
            plan.sources,
            params.status?.where,
            orderKeys(params, tableColumns(params.sort, TIE), direction, cursor),
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
