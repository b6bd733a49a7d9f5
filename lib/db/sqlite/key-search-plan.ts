import "server-only";
import type Database from "better-sqlite3";
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
import { sqlite } from "./connection";
import { sqliteTime } from "./time";

/**
 * How the SQLite key search finds what matches: each part of a term is first drawn from its own
 * index, a bounded number of row IDs without reading a key (ID prefixes from the primary key,
 * names from the FTS5 trigram index of migration `admin_key_search`, owners' keys of a status
 * from the owner index). A key read out of table order costs microseconds, so no plan reads more
 * than a few thousand that way.
 */

/** Up to this many candidates: read and sort them all; more: walk a sort index. */
export const CANDIDATE_CAP = 2000;
/** Up to this many keys, a walk out of table order tests a filter against their row IDs. */
const KEY_SET_CAP = 100_000;

const statementsByHandle = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The connection's statement for `sql`, prepared once; with the case folding the search uses. */
export function prepared(sql: string): Database.Statement {
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

export function count(sql: string, params: unknown[]): number {
  return prepared(sql)
    .pluck()
    .get(...params) as number;
}

export const json = (values: unknown[]) => JSON.stringify(values);

/** Row IDs in table order: reading them so is cheaper than in the order an index gave them. */
export function ascending(rowids: Iterable<number>): number[] {
  return [...rowids].sort((a, b) => a - b);
}

/** A phrase for FTS5 MATCH: the term as literal text, whatever characters it holds. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Printable ASCII, which LIKE folds by itself (and fast). */
const ASCII = /^[ -~]*$/;

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
 * The status condition on a key. Unary + keeps SQLite on the sort index while walking it;
 * without it the owner index `(ownerId, revokedAt, expiresAt)` answers the condition by itself.
 */
export function statusCondition(where: KeyStatusWhere, unary: "+" | "" = "+", key = "k"): SqlPart {
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

/** Where the keys matching a term come from, each part drawn from its index up to a bound. */
export interface TermSources {
  match: KeySearchMatch;
  owners: string[];
  byId: number[];
  byName: number[];
  idOverflow: boolean;
  nameOverflow: boolean;
  /** Row IDs of the owners' keys of the status asked for (filled by `withOwnerKeys`). */
  ownerKeys: number[];
  /** Whether some part reached its bound, so that more keys may match than were drawn. */
  overflow: boolean;
}

/** The term's parts drawn from their indexes; undefined when every key of the tenant matches. */
export function drawTerm(
  tenantId: string,
  match: KeySearchMatch,
  limit: number,
): TermSources | undefined {
  const owners = matchingOwners(tenantId, match);
  // Every user's keys are every key: nothing is left to test.
  const users =
    owners.length && count(`SELECT count(*) FROM "User" WHERE "tenantId" = ?`, [tenantId]);
  if (owners.length && owners.length === users) return undefined;
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
    byId,
    byName,
    idOverflow,
    nameOverflow,
    ownerKeys: [],
    overflow: idOverflow || nameOverflow,
  };
}

/** Keys of these owners (all the tenant's users when null) of a status, from the owner index. */
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

export function withOwnerKeys(
  sources: TermSources,
  params: KeySearchParams,
  limit: number,
): TermSources {
  if (!sources.owners.length) return sources;
  const set = ownerKeySet(params.tenantId, sources.owners, params.status?.where);
  const ownerKeys = pluck<number>(`${set.sql} LIMIT ${limit}`, set.params);
  return {
    ...sources,
    ownerKeys,
    overflow: sources.idOverflow || sources.nameOverflow || ownerKeys.length >= limit,
  };
}

/** The rows a set query names, as a test of `k` when there are few enough of them. */
function keySetCondition(set: SqlPart): SqlPart | undefined {
  const size = count(`SELECT count(*) FROM (${set.sql} LIMIT ${KEY_SET_CAP + 1})`, set.params);
  if (size > KEY_SET_CAP) return undefined;
  return { sql: `+k.rowid IN (${set.sql})`, params: set.params };
}

function ownersCondition(column: string, owners: string[]): SqlPart {
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [json(owners)] };
}

/** The term as a condition on the keys of another path (unary + keeps SQLite off their indexes). */
export function termCondition(sources: TermSources): SqlPart {
  const drawn = [
    ...(sources.idOverflow ? [] : sources.byId),
    ...(sources.nameOverflow ? [] : sources.byName),
  ];
  const range = sources.match.idRange;
  return or([
    ...(drawn.length
      ? [{ sql: `+k.rowid IN (SELECT value FROM json_each(?))`, params: [json(drawn)] }]
      : []),
    ...(range && sources.idOverflow ? [idRangeCondition(range)] : []),
    ...(sources.nameOverflow ? [contains('k."description"', sources.match.text)] : []),
    ...(sources.owners.length ? [ownersCondition('+k."ownerId"', sources.owners)] : []),
  ]);
}

function idRangeCondition(range: NonNullable<KeySearchMatch["idRange"]>): SqlPart {
  return range.to
    ? { sql: `+k."id" >= ? AND +k."id" < ?`, params: [range.from, range.to] }
    : { sql: `+k."id" >= ?`, params: [range.from] };
}

/**
 * Where in the sort's order a walk for the term's name keeps (`keepsToNameRange`); null when no
 * key's name holds the term; undefined when the walk reads the whole order. lower() folds ASCII
 * letters only, as LIKE does: the ranges serve ASCII terms.
 */
export function sortRange(
  params: KeySearchParams,
  sources: TermSources | undefined,
): SortRange | null | undefined {
  const columns = RANGE_COLUMNS[params.sort];
  if (!columns || !sources || !keepsToNameRange(params.sort, sources)) return undefined;
  if (!ASCII.test(sources.match.text)) return undefined;
  const pieces = termTrigrams(sources.match.text);
  const row = prepared(rangeQuery(columns, "SELECT value FROM json_each(?)")).get(
    params.tenantId,
    json(pieces),
  ) as Parameters<typeof meetingRange>[0];
  return meetingRange(row, pieces.length);
}

/** Whether a sort's walk runs in table order, where reading each key it passes is cheap. */
export function walksInTableOrder(sort: KeySortField): boolean {
  return sort === "created" || sort === "status";
}

/**
 * What a walk tests on each key: each part of the term with the status. The creation index runs
 * in table order, so reading the keys it passes is cheap; the other sort indexes do not, so a part
 * the index cannot answer is tested against row IDs drawn from another index when they are few
 * enough. The owner walk reads each owner's keys, with their status, from the owner index.
 */
export function walkCondition(
  params: KeySearchParams,
  sources: TermSources | undefined,
  status: KeyStatusWhere | undefined,
): SqlPart {
  const sort: KeySortField = params.sort;
  const inTableOrder = walksInTableOrder(sort);
  const byOwner = sort === "owner";
  // The expiry walk starts where the status's expiry range does.
  const ofStatus = status
    ? [statusCondition(status, byOwner || sort === "expires" ? "" : "+")]
    : [];
  const set = (query: SqlPart) => (inTableOrder ? undefined : keySetCondition(query));
  if (!sources) {
    // The expiry walk and the last-use walk of used keys read the status from their index.
    const ofStatusSet =
      status &&
      !byOwner &&
      sort !== "expires" &&
      sort !== "lastUsed" &&
      set(ownerKeySet(params.tenantId, null, status));
    return ofStatusSet || and(ofStatus);
  }
  const parts: SqlPart[] = [];
  const drawn = [
    ...(sources.idOverflow ? [] : sources.byId),
    ...(sources.nameOverflow ? [] : sources.byName),
  ];
  if (drawn.length) {
    parts.push(
      and([
        { sql: `+k.rowid IN (SELECT value FROM json_each(?))`, params: [json(drawn)] },
        ...ofStatus,
      ]),
    );
  }
  const range = sources.match.idRange;
  if (range && sources.idOverflow) {
    const ids = set({
      sql: `SELECT rowid FROM "ApiKey" WHERE "id" >= ? ${range.to ? `AND "id" < ?` : ""}`,
      params: range.to ? [range.from, range.to] : [range.from],
    });
    parts.push(and([ids ?? idRangeCondition(range), ...ofStatus]));
  }
  if (sources.nameOverflow) {
    // The name index holds the names themselves.
    const names =
      sort !== "name" &&
      !byOwner &&
      set({
        sql: `SELECT rowid FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?`,
        params: [ftsPhrase(sources.match.text)],
      });
    parts.push(and([names || contains('k."description"', sources.match.text), ...ofStatus]));
  }
  if (sources.owners.length) {
    const owners = !byOwner && set(ownerKeySet(params.tenantId, sources.owners, status));
    parts.push(
      owners ||
        and([ownersCondition(byOwner ? '+u."id"' : '+k."ownerId"', sources.owners), ...ofStatus]),
    );
  }
  return or(parts);
}

export type SearchPlan =
  | { kind: "candidates"; rowids: number[]; sources?: TermSources }
  | { kind: "walk"; sources?: TermSources };

/**
 * Which path a search takes: the keys matching the term when they are few; else the tenant's keys
 * of the status asked for when those are few (the term then filters them); else a sort index.
 */
export function planSearch(
  params: KeySearchParams,
  drawn: TermSources | undefined,
  limit: number,
): SearchPlan {
  const sources = drawn && withOwnerKeys(drawn, params, limit);
  if (sources && !sources.overflow) {
    const hits = new Set([...sources.ownerKeys, ...sources.byId, ...sources.byName]);
    if (hits.size <= CANDIDATE_CAP) return { kind: "candidates", rowids: ascending(hits) };
  }
  if (params.status) {
    const set = ownerKeySet(params.tenantId, null, params.status.where);
    const ofStatus = pluck<number>(`${set.sql} LIMIT ${limit}`, set.params);
    if (ofStatus.length <= CANDIDATE_CAP) {
      return { kind: "candidates", rowids: ascending(ofStatus), sources };
    }
  }
  return { kind: "walk", sources };
}
