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
  type SqlPart,
} from "../key-search-sql";
import {
  CANDIDATE_CAP,
  ascending,
  count,
  drawTerm,
  json,
  planSearch,
  prepared,
  sortRange,
  statusCondition,
  termCondition,
  walkCondition,
  walksInTableOrder,
  type SearchPlan,
  type TermSources,
} from "./key-search-plan";

/**
 * SQLite search over a tenant's keys that stays fast at a million rows: a few candidate keys
 * (./key-search-plan) are read, sorted and counted in one pass; many make a walk of a sort index,
 * filtered as it goes, which then fills a page quickly; counts stop at a cap.
 */

const TIE = "k.rowid";
const SELECT_COLUMNS = selectColumns(TIE);

function tenantCondition(tenantId: string): SqlPart {
  return { sql: 'k."tenantId" = ? AND u."tenantId" = ?', params: [tenantId, tenantId] };
}

type CandidateRow = KeySearchRow & { onPage: number; matching: number };

/** A row as the domain takes it, without the page's own columns. */
function pageRow(row: CandidateRow): KeySearchRow {
  return {
    id: row.id,
    description: row.description,
    hint: row.hint,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    ownerEmail: row.ownerEmail,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    tie: row.tie,
  };
}

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
    rows: rows.filter((row) => row.onPage).map(pageRow),
    matching: rows[0]?.matching ?? 0,
  };
}

/**
 * Keys a walk first passes testing each one as it is (reading it), before it builds the sets of
 * `walkCondition`: when what matches is spread over the order, as most terms are, a page fills
 * within a few hundred keys, and building a set of tens of thousands of row IDs costs more.
 */
const FIRST_WALK = 2000;

/**
 * Where a walk reads keys: CROSS JOIN fixes the loop order (else SQLite sorts all keys). The owner
 * and creation walks name the indexes that hold the status columns, the owner and (owner walk) the
 * names beside their order, which SQLite would pass over for the ones that hold the order alone.
 */
function walkFrom(params: KeySearchParams): string {
  if (params.sort === "owner") {
    return `FROM "User" u CROSS JOIN "ApiKey" k INDEXED BY "ApiKey_ownerId_description_status_idx"
      ON k."ownerId" = u."id"`;
  }
  const index = walksInTableOrder(params.sort)
    ? ` INDEXED BY "ApiKey_tenantId_createdAt_status_idx"`
    : "";
  return `FROM "ApiKey" k${index} CROSS JOIN "User" u ON u."id" = k."ownerId"`;
}

/** Where a walk along `keys` reads: past the cursor, within the range of the term's name. */
function startCondition(params: KeySearchParams, keys: OrderKey[], range?: SortRange): SqlPart {
  return and([tenantCondition(params.tenantId), walkBounds(keys, range)]);
}

/**
 * The same walk from its index alone: the owners' names take the users, the other orders only the
 * keys (their rows join the tenant's users when read).
 */
function stepFrom(params: KeySearchParams): string {
  return params.sort === "owner" ? walkFrom(params) : `FROM "ApiKey" k`;
}

function stepCondition(params: KeySearchParams, keys: OrderKey[], range?: SortRange): SqlPart {
  if (params.sort === "owner") return startCondition(params, keys, range);
  return and([{ sql: 'k."tenantId" = ?', params: [params.tenantId] }, walkBounds(keys, range)]);
}

/** Keys of a walk along `keys` that pass `test`, in order. */
function walkRows(
  params: KeySearchParams,
  keys: OrderKey[],
  test: SqlPart,
  limit: number,
  range?: SortRange,
): KeySearchRow[] {
  // SQLite tests the conditions in this order: cheapest first.
  const where = and([startCondition(params, keys, range), test]);
  const sql = `SELECT ${SELECT_COLUMNS} ${walkFrom(params)} WHERE ${where.sql}
    ORDER BY ${orderBy(keys)} LIMIT ${limit}`;
  return prepared(sql).all(...where.params) as KeySearchRow[];
}

/**
 * The last-use walk in its two stretches, the never used first ascending: used keys by last use
 * from the index that holds their status (migration `admin_key_search_last_used_status`), so that a
 * status is tested without reading the keys the walk passes; never used keys by row ID, in table
 * order, where reading them is cheap.
 */
function lastUsedRows(
  params: KeySearchParams,
  keys: OrderKey[],
  test: SqlPart,
  limit: number,
): KeySearchRow[] {
  const [used, tie] = keys;
  const ascending = used.direction === "asc";
  const started = tie.value !== null;
  const neverUsed = started && used.value === null;
  // Each stretch is read past the cursor when the cursor is in it, whole when the cursor is in the
  // stretch before it, and not at all when the cursor is past it.
  const stretches = [
    {
      from: `"ApiKey" k INDEXED BY "ApiKey_tenantId_lastUsedAt_status_idx"`,
      where: 'k."lastUsedAt" IS NOT NULL',
      skip: neverUsed && !ascending,
      start:
        started && !neverUsed
          ? keyset(keys.map((key) => ({ ...key, nullable: false })))
          : { sql: "TRUE", params: [] },
    },
    {
      from: `"ApiKey" k INDEXED BY "ApiKey_tenantId_lastUsedAt_idx"`,
      where: 'k."lastUsedAt" IS NULL',
      skip: started && !neverUsed && ascending,
      start: neverUsed ? keyset([tie]) : { sql: "TRUE", params: [] },
    },
  ];
  if (ascending) stretches.reverse();
  const rows: KeySearchRow[] = [];
  for (const stretch of stretches) {
    if (stretch.skip || rows.length === limit) continue;
    const where = and([
      tenantCondition(params.tenantId),
      { sql: stretch.where, params: [] },
      stretch.start,
      test,
    ]);
    const sql = `SELECT ${SELECT_COLUMNS} FROM ${stretch.from} CROSS JOIN "User" u ON u."id" = k."ownerId"
      WHERE ${where.sql} ORDER BY ${orderBy(keys)} LIMIT ${limit - rows.length}`;
    rows.push(...(prepared(sql).all(...where.params) as KeySearchRow[]));
  }
  return rows;
}

/** Keys among the next `steps` of a walk along `keys` that pass `test`, in order. */
function firstRows(
  params: KeySearchParams,
  keys: OrderKey[],
  steps: number,
  test: SqlPart,
  limit: number,
  range?: SortRange,
): KeySearchRow[] {
  const start = stepCondition(params, keys, range);
  const sql = `SELECT ${SELECT_COLUMNS} FROM (
      SELECT k.rowid AS "step" ${stepFrom(params)} WHERE ${start.sql}
      ORDER BY ${orderBy(keys)} LIMIT ${steps}) w
    CROSS JOIN "ApiKey" k ON k.rowid = w."step" CROSS JOIN "User" u ON u."id" = k."ownerId"
    WHERE u."tenantId" = ? AND ${test.sql} ORDER BY ${orderBy(keys)} LIMIT ${limit}`;
  return prepared(sql).all(...start.params, params.tenantId, ...test.params) as KeySearchRow[];
}

/** The order's keys at the `steps`th key of a walk along `keys`; undefined past the last. */
function stepsOn(
  params: KeySearchParams,
  keys: OrderKey[],
  steps: number,
  range?: SortRange,
): OrderKey[] | undefined {
  const start = stepCondition(params, keys, range);
  const sql = `SELECT ${keys.map((key, i) => `${key.expr} AS "o${i}"`).join(", ")}
    ${stepFrom(params)} WHERE ${start.sql} ORDER BY ${orderBy(keys)} LIMIT 1 OFFSET ${steps - 1}`;
  const row = prepared(sql).get(...start.params) as Record<string, unknown> | undefined;
  return row && keys.map((key, i) => ({ ...key, value: row[`o${i}`] }));
}

/**
 * A page in name order from each matching owner's first keys past the cursor (of the status asked
 * for), with the keys that match the term otherwise: drawn when few, else walked for.
 */
function ownersFirstPage(
  params: KeySearchParams,
  sources: TermSources,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): KeySearchRow[] {
  const started = keys[keys.length - 1].value !== null;
  const where = and([
    ...(status ? [statusCondition(status)] : []),
    ...(started ? [keyset(keys)] : []),
  ]);
  // The index holds the names and the status columns: each owner's keys come from it alone.
  const firstKeys = prepared(
    `SELECT json_array(k.rowid, k."description")
     FROM "ApiKey" k INDEXED BY "ApiKey_ownerId_description_status_idx"
     WHERE k."ownerId" = ? AND ${where.sql} ORDER BY ${orderBy(keys)} LIMIT ${limit}`,
  ).pluck();
  const ownersKeys = sources.owners
    .map((owner) => firstKeys.all(owner, ...where.params).join(","))
    .filter(Boolean);
  // The page's share of them, in the same order: by the names they came with, then rowid.
  const merged = keys.map((key, i) => ({ ...key, expr: i === 0 ? '"d"' : '"r"' }));
  const rowids = prepared(
    `SELECT "r" FROM (SELECT value ->> 0 AS "r", value ->> 1 AS "d" FROM json_each(?))
     ORDER BY ${orderBy(merged)} LIMIT ${limit}`,
  )
    .pluck()
    .all(`[${ownersKeys.join(",")}]`) as number[];
  const others = { ...sources, owners: [], ownerKeys: [] };
  if (others.idOverflow || others.nameOverflow) {
    rowids.push(...walkPage(params, others, status, keys, limit).map((row) => row.tie as number));
  } else {
    rowids.push(...others.byId, ...others.byName);
  }
  // Keys drawn for the term may lie before the cursor, or have another status.
  const page = and([tenantCondition(params.tenantId), where]);
  return prepared(
    `SELECT ${SELECT_COLUMNS} FROM json_each(?) hits CROSS JOIN "ApiKey" k ON k.rowid = hits.value
     JOIN "User" u ON u."id" = k."ownerId" WHERE ${page.sql} ORDER BY ${orderBy(keys)} LIMIT ${limit}`,
  ).all(json(ascending(new Set(rowids))), ...page.params) as KeySearchRow[];
}

/**
 * Keys of the tenant in the order of a sort index (the owners' name index for the owner sort).
 * Out of table order, FIRST_WALK keys are tested as they are, then, when the page is not full, the
 * walk goes on from there with the sets of `walkCondition`, or, in name order for a term that
 * matches a few owners, the page comes from each one's first keys.
 */
function walkPage(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): KeySearchRow[] {
  // In table order a walk tests each key as it is all the way, without sets.
  if (walksInTableOrder(params.sort)) {
    return walkRows(params, keys, walkCondition(params, sources, status), limit);
  }
  // A broad name alone: the walk keeps to where the keys with that name lie.
  const range = sortRange(params, sources);
  if (range === null) return [];
  const tests = and([
    ...(sources ? [termCondition(sources)] : []),
    ...(status ? [statusCondition(status)] : []),
  ]);
  const first = firstRows(params, keys, FIRST_WALK, tests, limit, range);
  if (first.length === limit) return first;
  if (sources && readsOwnersFirst(params.sort, sources.owners.length)) {
    return ownersFirstPage(params, sources, status, keys, limit);
  }
  const last = stepsOn(params, keys, FIRST_WALK, range);
  if (!last) return first;
  const rest = walkCondition(params, sources, status);
  return [
    ...first,
    ...(params.sort === "lastUsed"
      ? lastUsedRows(params, last, rest, limit - first.length)
      : walkRows(params, last, rest, limit - first.length, range)),
  ];
}

/**
 * The status sort: each status in turn (newest first within it), each planned on its own, so
 * that a status few keys have is read as candidates instead of walked for.
 */
function statusPage(
  params: KeySearchParams,
  drawn: TermSources | undefined,
  bound: number,
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
    const tier = { ...params, status: tiers[i], statusTiers: [tiers[i]] };
    const from = cursor?.status === tiers[i].status ? cursor : undefined;
    const plan = planSearch(tier, drawn, bound);
    rows.push(
      ...(plan.kind === "candidates"
        ? candidatePage(tier, plan, direction, from, limit - rows.length).rows
        : walkPage(
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
 * checked (tenant, status) until more than `cap` pass. When some index had more keys than were
 * drawn and fewer than that passed, the figure is a floor.
 */
function countWalked(
  params: KeySearchParams,
  sources: TermSources | undefined,
  cap: number,
): KeySearchPage["total"] {
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
  const bound = Math.max(CANDIDATE_CAP, countCap) + 1;
  const drawn = params.match && drawTerm(params.tenantId, params.match, bound);
  const plan = planSearch(params, drawn, bound);
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
        ? statusPage(params, drawn, bound, direction, cursor, limit)
        : walkPage(
            params,
            plan.sources,
            params.status?.where,
            orderKeys(params, tableColumns(params.sort, TIE), direction, cursor),
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
