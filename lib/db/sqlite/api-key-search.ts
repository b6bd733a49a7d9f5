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
  selectColumns,
  SORT_COLUMNS,
  tableColumns,
  type OrderKey,
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
  statusCondition,
  termCondition,
  walkCondition,
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

/** Keys of the tenant in the order of a sort index (the owners' name index for the owner sort). */
function walkPage(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
  keys: OrderKey[],
  limit: number,
): KeySearchRow[] {
  // CROSS JOIN fixes the loop order: SQLite would otherwise walk every owner and sort all keys.
  const from =
    params.sort === "owner"
      ? `FROM "User" u CROSS JOIN "ApiKey" k ON k."ownerId" = u."id"`
      : `FROM "ApiKey" k CROSS JOIN "User" u ON u."id" = k."ownerId"`;
  const cursor = keys[keys.length - 1].value !== null;
  // SQLite tests the conditions in this order: cheapest first.
  const where = and([
    tenantCondition(params.tenantId),
    ...(cursor ? [keyset(keys)] : []),
    walkCondition(params, sources, status),
  ]);
  const sql = `SELECT ${SELECT_COLUMNS} ${from} WHERE ${where.sql}
    ORDER BY ${orderBy(keys)} LIMIT ${limit}`;
  return prepared(sql).all(...where.params) as KeySearchRow[];
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
