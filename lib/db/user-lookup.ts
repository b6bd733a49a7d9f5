import "server-only";
import { cachedRowLookup } from "./snapshot-cache";

/**
 * The fields every request may need of its user, without an ORM round trip: on SQLite kept only
 * until the next commit to the database, so a disabled user or a removed role counts at once.
 */
export interface UserRow {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  isTenantAdmin: boolean;
  isDeveloper: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  tenantName: string;
}

export interface RawUserRow {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  isTenantAdmin: number | boolean | bigint;
  isDeveloper: number | boolean | bigint;
  disabledAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  tenantName: string;
}

const USER_SQL = `SELECT u."id", u."tenantId", u."email", u."name", u."isTenantAdmin", u."isDeveloper",
  u."disabledAt", u."createdAt", u."updatedAt", t."name" AS "tenantName"
  FROM "User" u JOIN "Tenant" t ON t."id" = u."tenantId" WHERE u."id" = `;

/** A user row as the driver returns it (SQLite: text dates, integer booleans) → `UserRow`. */
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

/** One user by ID with the tenant's name. */
export const findUserById = cachedRowLookup(USER_SQL, userRowFrom);
