import "server-only";
import type Database from "better-sqlite3";
import { db } from "./index";
import { isPostgres } from "./url";
import { sqlite } from "./sqlite";

/** What the per-request key check needs, read fresh on every request (no cache to go stale). */
export interface KeyCredentialRow {
  id: string;
  tenantId: string;
  ownerId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  ownerDisabled: boolean;
  isDeveloper: boolean;
  isTenantAdmin: boolean;
  apiKeysEnabled: boolean;
}

interface RawRow {
  id: string;
  tenantId: string;
  ownerId: string;
  expiresAt: string | Date;
  revokedAt: string | Date | null;
  disabledAt: string | Date | null;
  isDeveloper: number | boolean | bigint;
  isTenantAdmin: number | boolean | bigint;
  apiKeysEnabled: number | boolean | bigint;
}

const LOOKUP_SQL = `SELECT k."id", k."tenantId", k."ownerId", k."expiresAt", k."revokedAt",
  u."disabledAt", u."isDeveloper", u."isTenantAdmin", t."apiKeysEnabled"
  FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId" JOIN "Tenant" t ON t."id" = k."tenantId"
  WHERE k."digest" = `;

let statement: Database.Statement<[string], RawRow> | undefined;

function toRow(raw: RawRow): KeyCredentialRow {
  return {
    id: raw.id,
    tenantId: raw.tenantId,
    ownerId: raw.ownerId,
    expiresAt: new Date(raw.expiresAt),
    revokedAt: raw.revokedAt ? new Date(raw.revokedAt) : null,
    ownerDisabled: raw.disabledAt !== null,
    isDeveloper: Boolean(Number(raw.isDeveloper)),
    isTenantAdmin: Boolean(Number(raw.isTenantAdmin)),
    apiKeysEnabled: Boolean(Number(raw.apiKeysEnabled)),
  };
}

/**
 * One indexed join by digest. On SQLite a prepared statement through the driver (microseconds);
 * on PostgreSQL one parameterised query.
 */
export async function findKeyCredential(digest: string): Promise<KeyCredentialRow | null> {
  if (isPostgres()) {
    const rows = await db.$queryRawUnsafe<RawRow[]>(`${LOOKUP_SQL}$1`, digest);
    return rows[0] ? toRow(rows[0]) : null;
  }
  statement ??= sqlite().prepare<[string], RawRow>(`${LOOKUP_SQL}?`);
  const raw = statement.get(digest);
  return raw ? toRow(raw) : null;
}
