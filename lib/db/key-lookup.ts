import "server-only";
import type Database from "better-sqlite3";
import { db } from "./index";
import { SnapshotCache } from "./snapshot-cache";
import { isPostgres } from "./url";
import { userRowFrom, type RawUserRow, type UserRow } from "./user-lookup";

/**
 * What the per-request key check needs, with the owner's whole row so that the request need not
 * read the user again: read fresh, or kept only while the database is unchanged.
 */
export interface KeyCredentialRow {
  id: string;
  tenantId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  apiKeysEnabled: boolean;
  owner: UserRow;
}

interface RawRow extends RawUserRow {
  keyId: string;
  expiresAt: string | Date;
  revokedAt: string | Date | null;
  apiKeysEnabled: number | boolean | bigint;
}

const LOOKUP_SQL = `SELECT k."id" AS "keyId", k."expiresAt", k."revokedAt",
  u."id", u."tenantId", u."email", u."name", u."isTenantAdmin", u."isDeveloper", u."disabledAt",
  u."createdAt", u."updatedAt", t."name" AS "tenantName", t."apiKeysEnabled"
  FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId" JOIN "Tenant" t ON t."id" = k."tenantId"
  WHERE k."digest" = `;

let statement: Database.Statement<[string], RawRow> | undefined;
const credentials = new SnapshotCache<KeyCredentialRow>(10_000);

function toRow(raw: RawRow): KeyCredentialRow {
  return {
    id: raw.keyId,
    tenantId: raw.tenantId,
    expiresAt: new Date(raw.expiresAt),
    revokedAt: raw.revokedAt ? new Date(raw.revokedAt) : null,
    apiKeysEnabled: Boolean(Number(raw.apiKeysEnabled)),
    owner: Object.freeze(userRowFrom(raw)),
  };
}

/**
 * One indexed join by digest. On SQLite the row is kept until the next commit to the database (by
 * any connection or instance), so repeated calls with one key skip the join; expiry is compared by
 * the caller on every request. On PostgreSQL one parameterised query per call.
 */
export async function findKeyCredential(digest: string): Promise<KeyCredentialRow | null> {
  if (isPostgres()) {
    const rows = await db.$queryRawUnsafe<RawRow[]>(`${LOOKUP_SQL}$1`, digest);
    return rows[0] ? toRow(rows[0]) : null;
  }
  const row = credentials.get(digest, (reader) => {
    statement ??= reader.prepare<[string], RawRow>(`${LOOKUP_SQL}?`);
    const raw = statement.get(digest);
    return raw && toRow(raw);
  });
  return row ?? null;
}
