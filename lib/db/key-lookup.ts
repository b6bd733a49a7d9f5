import "server-only";
import type Database from "better-sqlite3";
import { db } from "./index";
import { SnapshotCache } from "./snapshot-cache";
import { isPostgres } from "./url";

/** What the per-request key check needs: read fresh, or kept only while the database is unchanged. */
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
const credentials = new SnapshotCache<KeyCredentialRow>(10_000);

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
