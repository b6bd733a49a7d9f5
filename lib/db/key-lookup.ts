import "server-only";
import { cachedRowLookup } from "./snapshot-cache";
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
export const findKeyCredential = cachedRowLookup(LOOKUP_SQL, toRow);
