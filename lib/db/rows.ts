import type { KeyCredentialRow } from "@/lib/api-keys/credential";
import type { SessionRow } from "@/lib/auth/session-row";
import type { UserRow } from "@/lib/users/user-row";

/**
 * The per-request reads (a key, or a session, or a user by ID), as SQL both engines run: each ends in `= ` before its one parameter
 * (`?` on SQLite, `$1` on PostgreSQL). Rows come back as the driver returns them (SQLite: text
 * times and integer booleans) and are turned into the domain's rows here.
 */
export const USER_SQL = `SELECT u."id", u."tenantId", u."email", u."name", u."isTenantAdmin", u."isDeveloper",
  u."disabledAt", u."createdAt", u."updatedAt", t."name" AS "tenantName"
  FROM "User" u JOIN "Tenant" t ON t."id" = u."tenantId" WHERE u."id" = `;

export const KEY_CREDENTIAL_SQL = `SELECT k."id" AS "keyId", k."expiresAt", k."revokedAt",
  u."id", u."tenantId", u."email", u."name", u."isTenantAdmin", u."isDeveloper", u."disabledAt",
  u."createdAt", u."updatedAt", t."name" AS "tenantName", t."apiKeysEnabled"
  FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId" JOIN "Tenant" t ON t."id" = k."tenantId"
  WHERE k."digest" = `;

export const SESSION_SQL = `SELECT s."id" AS "sessionId", s."expiresAt", s."endedAt",
  u."id", u."tenantId", u."email", u."name", u."isTenantAdmin", u."isDeveloper", u."disabledAt",
  u."createdAt", u."updatedAt", t."name" AS "tenantName"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId" JOIN "Tenant" t ON t."id" = u."tenantId"
  WHERE s."id" = `;

type DriverBoolean = number | boolean | bigint;
type DriverTime = string | Date;

export interface RawUserRow {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  isTenantAdmin: DriverBoolean;
  isDeveloper: DriverBoolean;
  disabledAt: DriverTime | null;
  createdAt: DriverTime;
  updatedAt: DriverTime;
  tenantName: string;
}

export interface RawKeyCredentialRow extends RawUserRow {
  keyId: string;
  expiresAt: DriverTime;
  revokedAt: DriverTime | null;
  apiKeysEnabled: DriverBoolean;
}

export interface RawSessionRow extends RawUserRow {
  sessionId: string;
  expiresAt: DriverTime;
  endedAt: DriverTime | null;
}

export function userRowFrom(raw: RawUserRow): UserRow {
  return {
    id: raw.id,
    tenantId: raw.tenantId,
    email: raw.email,
    name: raw.name,
    tenantName: raw.tenantName,
    isTenantAdmin: Boolean(Number(raw.isTenantAdmin)),
    isDeveloper: Boolean(Number(raw.isDeveloper)),
    disabledAt: raw.disabledAt ? new Date(raw.disabledAt) : null,
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
  };
}

export function keyCredentialRowFrom(raw: RawKeyCredentialRow): KeyCredentialRow {
  return {
    id: raw.keyId,
    tenantId: raw.tenantId,
    expiresAt: new Date(raw.expiresAt),
    revokedAt: raw.revokedAt ? new Date(raw.revokedAt) : null,
    apiKeysEnabled: Boolean(Number(raw.apiKeysEnabled)),
    owner: userRowFrom(raw),
  };
}

export function sessionRowFrom(raw: RawSessionRow): SessionRow {
  return {
    id: raw.sessionId,
    userId: raw.id,
    expiresAt: new Date(raw.expiresAt),
    endedAt: raw.endedAt ? new Date(raw.endedAt) : null,
    user: userRowFrom(raw),
  };
}
