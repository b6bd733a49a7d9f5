import "server-only";
import type {
  KeySearchMatch,
  KeySearchParams,
  KeySortField,
  KeyStatusWhere,
} from "@/lib/api-keys/key-search";
import {
  and,
  keepsToNameRange,
  likeEscaped,
  meetingRange,
  or,
  rangeQuery,
  RANGE_COLUMNS,
  termTrigrams,
  type SortRange,
  type SqlPart,
} from "../key-search-sql";
import { pool } from "./pool";

/**
 * How the PostgreSQL key search finds what matches, as SQLite's does: each part of a term is
 * drawn from its own index up to a bound (ID prefixes from the primary key, names from the
 * pg_trgm GIN index, owners' keys of a status from the owner index of migration
 * `admin_key_search_order`), without reading the keys where the index holds what is asked.
 */

/** Up to this many candidates: read and sort them all; more: walk a sort index. */
export const CANDIDATE_CAP = 2000;
/**
 * A GIN bitmap scan reads every key holding the term's trigrams before the first row comes back,
 * so a name the planner expects in more keys than this is tested while walking instead.
 */
const BROAD_NAME_ESTIMATE = 20_000;
/** Up to this many keys, a walk of an index without names tests the IDs of those named so. */
const NAME_SET_CAP = 100_000;

/** Runs `sql` with `?` placeholders numbered for PostgreSQL, through the driver's pool. */
export async function query<Row>(sql: string, params: unknown[]): Promise<Row[]> {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  const result = await pool().query({ text, values: params });
  return result.rows as Row[];
}

async function ids(sql: string, params: unknown[]): Promise<string[]> {
  return (await query<{ id: string }>(sql, params)).map((row) => row.id);
}

export async function countOf(sql: string, params: unknown[]): Promise<number> {
  const [row] = await query<{ n: string }>(sql, params);
  return Number(row.n);
}

/** Whether `column` contains (or starts with) the lowercase `text`, through its trigram index. */
function like(column: string, text: string, position: "contains" | "startsWith"): SqlPart {
  const pattern = `${position === "contains" ? "%" : ""}${likeEscaped(text)}%`;
  return { sql: `lower(${column}) LIKE ?`, params: [pattern] };
}

export function statusCondition(where: KeyStatusWhere, key = "k"): SqlPart {
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
function matchingOwners(tenantId: string, match: KeySearchMatch) {
  const position = match.mode === "substring" ? "contains" : "startsWith";
  const name = like('"name"', match.text, position);
  const email = like('"email"', match.text, position);
  return query<{ id: string; users: string }>(
    `SELECT "id", (SELECT count(*) FROM "User" WHERE "tenantId" = ?) AS "users" FROM "User"
     WHERE "tenantId" = ? AND (${name.sql} OR ${email.sql})`,
    [tenantId, tenantId, ...name.params, ...email.params],
  );
}

/**
 * The keys whose name contains the term, from the trigram index, up to `limit`; null when that
 * would cost too much: the bitmap scan reads every key the index points to before the first row
 * comes back, so it is asked only when the planner expects few keys to hold the name.
 */
async function drawByName(match: KeySearchMatch, limit: number): Promise<string[] | null> {
  if (match.mode !== "substring") return [];
  if (!trigramWords(match)) return null;
  const [plan] = await query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM "ApiKey" WHERE lower("description") LIKE ?`,
    [`%${likeEscaped(match.text)}%`],
  );
  if (plan["QUERY PLAN"][0].Plan["Plan Rows"] > BROAD_NAME_ESTIMATE) return null;
  return namedKeys(match, limit);
}

/** pg_trgm indexes words of letters and digits; a term without one of three is no use to it. */
function trigramWords(match: KeySearchMatch): string[] | null {
  return match.text.match(/[\p{L}\p{N}]{3,}/gu);
}

function namedKeys(match: KeySearchMatch, limit: number): Promise<string[]> {
  const name = like('"description"', match.text, "contains");
  return ids(`SELECT "id" FROM "ApiKey" WHERE ${name.sql} LIMIT ${limit}`, name.params);
}

/** Where the keys matching a term come from, each part drawn from its index up to a bound. */
export interface TermSources {
  match: KeySearchMatch;
  owners: string[];
  byId: string[];
  byName: string[];
  idOverflow: boolean;
  /** True also when the name was too broad to draw from its index at all. */
  nameOverflow: boolean;
  /** IDs of the owners' keys of the status asked for (filled by `withOwnerKeys`). */
  ownerKeys: string[];
  /** Whether some part reached its bound, so that more keys may match than were drawn. */
  overflow: boolean;
}

/** The term's parts drawn from their indexes; undefined when every key of the tenant matches. */
export async function drawTerm(
  tenantId: string,
  match: KeySearchMatch,
  limit: number,
): Promise<TermSources | undefined> {
  const range = match.idRange;
  const owners = await matchingOwners(tenantId, match);
  // Every user's keys are every key: nothing is left to test, or to draw.
  if (owners.length && owners.length === Number(owners[0].users)) return undefined;
  const [byId, byName] = await Promise.all([
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
    owners: owners.map((owner) => owner.id),
    byId,
    byName: byName ?? [],
    idOverflow,
    nameOverflow,
    ownerKeys: [],
    overflow: idOverflow || nameOverflow,
  };
}

/**
 * Keys of these owners (all the tenant's users when null) of a status, by ID: one range of the
 * owner index (`ownerId, revokedAt, expiresAt, id`) per owner, read from the index alone.
 */
function ownerKeySet(tenantId: string, owners: string[] | null, status?: KeyStatusWhere): SqlPart {
  const ofStatus = status ? statusCondition(status, "k2") : undefined;
  const keys = (owner: string) =>
    `SELECT k2."id" FROM "ApiKey" k2 WHERE k2."ownerId" = ${owner}."id"
     ${ofStatus ? `AND ${ofStatus.sql}` : ""}`;
  if (owners) {
    return {
      sql: `SELECT k."id" FROM unnest(?::text[]) AS o("id") CROSS JOIN LATERAL (${keys("o")}) k`,
      params: [owners, ...(ofStatus?.params ?? [])],
    };
  }
  return {
    sql: `SELECT k."id" FROM "User" u CROSS JOIN LATERAL (${keys("u")}) k WHERE u."tenantId" = ?`,
    params: [...(ofStatus?.params ?? []), tenantId],
  };
}

export async function withOwnerKeys(
  sources: TermSources,
  params: KeySearchParams,
  limit: number,
): Promise<TermSources> {
  if (!sources.owners.length) return sources;
  const set = ownerKeySet(params.tenantId, sources.owners, params.status?.where);
  const ownerKeys = await ids(`${set.sql} LIMIT ${limit}`, set.params);
  return {
    ...sources,
    ownerKeys,
    overflow: sources.idOverflow || sources.nameOverflow || ownerKeys.length >= limit,
  };
}

function idRangeCondition(range: NonNullable<KeySearchMatch["idRange"]>): SqlPart {
  return range.to
    ? { sql: `k."id" >= ? AND k."id" < ?`, params: [range.from, range.to] }
    : { sql: `k."id" >= ?`, params: [range.from] };
}

function drawnIds(sources: TermSources): string[] {
  return [
    ...(sources.idOverflow ? [] : sources.byId),
    ...(sources.nameOverflow ? [] : sources.byName),
  ];
}

// strpos: the trigram index is no use for a name this broad.
const nameCondition = (sources: TermSources): SqlPart => ({
  sql: `strpos(lower(k."description"), ?) > 0`,
  params: [sources.match.text],
});

/** The term as a condition on the keys of another path. */
export function termCondition(sources: TermSources): SqlPart {
  const drawn = drawnIds(sources);
  const range = sources.match.idRange;
  return or([
    ...(drawn.length ? [{ sql: `k."id" = ANY(?::text[])`, params: [drawn] }] : []),
    ...(range && sources.idOverflow ? [idRangeCondition(range)] : []),
    ...(sources.nameOverflow ? [nameCondition(sources)] : []),
    ...(sources.owners.length
      ? [{ sql: `k."ownerId" = ANY(?::text[])`, params: [sources.owners] }]
      : []),
  ]);
}

/**
 * One test of a walk, whether the walked index holds every column it reads, and the same test
 * on the key alone (`k`) where it reads the walked user.
 */
export interface WalkTest {
  test: SqlPart;
  inIndex: boolean;
  onKey?: SqlPart;
}

/**
 * What each walk's index holds beside the sort column, the ID, the owner and the status columns
 * (migrations `admin_key_search_*_status`; the owner walk's is `admin_key_search_owner_names`):
 * whether it holds the names, and whether it runs in about the order keys were written (so that
 * reading the keys it passes is cheap).
 */
const WALK_INDEX: Record<KeySortField, { name: boolean; tableOrder: boolean }> = {
  created: { name: false, tableOrder: true },
  status: { name: false, tableOrder: true },
  owner: { name: true, tableOrder: false },
  name: { name: true, tableOrder: false },
  expires: { name: false, tableOrder: false },
  lastUsed: { name: false, tableOrder: false },
};

/**
 * What a walk tests on each key, as alternatives of tests: each part of the term with the status.
 * A name the walked index does not hold is tested against the keys the trigram index gives
 * (`drawn`), or on each key read (`read`).
 */
export async function walkTests(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
  names: "drawn" | "read" = "drawn",
): Promise<WalkTest[][]> {
  const held = WALK_INDEX[params.sort];
  const ofStatus = status ? [{ test: statusCondition(status), inIndex: true }] : [];
  if (!sources) return [ofStatus];
  const alternatives: WalkTest[][] = [];
  const drawn = drawnIds(sources);
  if (drawn.length) {
    alternatives.push([
      { test: { sql: `k."id" = ANY(?::text[])`, params: [drawn] }, inIndex: true },
      ...ofStatus,
    ]);
  }
  const range = sources.match.idRange;
  if (range && sources.idOverflow) {
    alternatives.push([{ test: idRangeCondition(range), inIndex: true }, ...ofStatus]);
  }
  if (sources.nameOverflow) {
    // An index out of table order and without the names tests the keys the trigram index gives,
    // when they are few enough to hand over (a broader name matches densely; a walk soon meets it).
    const named =
      names === "drawn" &&
      drawsNames(params, sources) &&
      (await namedKeys(sources.match, NAME_SET_CAP + 1));
    alternatives.push(
      named && named.length <= NAME_SET_CAP
        ? [
            { test: { sql: `k."id" = ANY(?::text[])`, params: [named] }, inIndex: true },
            ...ofStatus,
          ]
        : [{ test: nameCondition(sources), inIndex: held.name }, ...ofStatus],
    );
  }
  if (sources.owners.length) {
    const onKey = { sql: `k."ownerId" = ANY(?::text[])`, params: [sources.owners] };
    // The owner walk tests its users; a test of the keys' owner column would drive the join.
    const owners =
      params.sort === "owner"
        ? { sql: `u."id" = ANY(?::text[])`, params: [sources.owners] }
        : onKey;
    alternatives.push([{ test: owners, inIndex: true, onKey }, ...ofStatus]);
  }
  return alternatives;
}

/**
 * Where in the sort's order a walk for the term's name keeps (`keepsToNameRange`); null when no
 * key's name holds the term; undefined when the walk reads the whole order.
 */
export async function sortRange(
  params: KeySearchParams,
  sources: TermSources | undefined,
): Promise<SortRange | null | undefined> {
  const columns = RANGE_COLUMNS[params.sort];
  if (!columns || !sources || !keepsToNameRange(params.sort, sources)) return undefined;
  const pieces = termTrigrams(sources.match.text);
  const [row] = await query<Parameters<typeof meetingRange>[0] & object>(
    rangeQuery(columns, "SELECT unnest(?::text[])"),
    [params.tenantId, pieces],
  );
  return meetingRange(row, pieces.length);
}

/** Whether a walk tests the term's name against keys drawn from the trigram index. */
function drawsNames(params: KeySearchParams, sources: TermSources): boolean {
  const held = WALK_INDEX[params.sort];
  return (
    sources.nameOverflow && !held.name && !held.tableOrder && trigramWords(sources.match) !== null
  );
}

/**
 * Whether a walk first reads the keys it passes for their names, a bounded number, before it
 * draws the named keys from the trigram index: so for a name too broad to draw up front (most
 * likely one that many keys have), where the walk would draw them.
 */
export function readsNamesFirst(
  params: KeySearchParams,
  sources: TermSources | undefined,
): boolean {
  return !!sources && sources.byName.length === 0 && drawsNames(params, sources);
}

/** The walk's tests the index answers alone; or (`all`) every test, on the key alone. */
export function alternatives(tests: WalkTest[][], all: boolean): SqlPart {
  return or(
    tests.map((group) =>
      and(group.filter((t) => all || t.inIndex).map((t) => (all ? (t.onKey ?? t.test) : t.test))),
    ),
  );
}

export type SearchPlan =
  | { kind: "candidates"; ids: string[]; sources?: TermSources }
  | { kind: "walk"; sources?: TermSources };

/**
 * Which path a search takes: the keys matching the term when they are few; else the tenant's keys
 * of the status asked for when those are few (the term then filters them); else a sort index.
 */
export async function planSearch(
  params: KeySearchParams,
  drawn: TermSources | undefined,
  limit: number,
): Promise<SearchPlan> {
  const sources = drawn && (await withOwnerKeys(drawn, params, limit));
  if (sources && !sources.overflow) {
    const hits = new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName]);
    if (hits.size <= CANDIDATE_CAP) return { kind: "candidates", ids: [...hits] };
  }
  if (params.status) {
    const set = ownerKeySet(params.tenantId, null, params.status.where);
    const ofStatus = await ids(`${set.sql} LIMIT ${limit}`, set.params);
    if (ofStatus.length <= CANDIDATE_CAP) return { kind: "candidates", ids: ofStatus, sources };
  }
  return { kind: "walk", sources };
}
