import "server-only";
import type Database from "better-sqlite3";
import type { UsageCount } from "../dialect";
import { databaseUrl, sqliteFilePath } from "../url";
import { openSqlite, sqlite } from "./connection";
import { sqliteTime } from "./time";

const SQLITE_BUCKET = `INSERT INTO "ApiKeyUsage" ("apiKeyId", "bucketStart", "tenantId", "requests", "lastUsedAt", "lastIp")
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("apiKeyId", "bucketStart") DO UPDATE SET
    "requests" = "requests" + excluded."requests",
    "lastUsedAt" = CASE WHEN excluded."lastUsedAt" > "lastUsedAt" THEN excluded."lastUsedAt" ELSE "lastUsedAt" END,
    "lastIp" = CASE WHEN excluded."lastUsedAt" > "lastUsedAt" THEN excluded."lastIp" ELSE "lastIp" END`;

const SQLITE_KEY = `UPDATE "ApiKey" SET "lastUsedAt" = ?, "lastUsedIp" = ?
  WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`;

const globalForUsage = globalThis as unknown as { keywardUsageWriter?: Database.Database };

/**
 * The periodic flush's own connection, which never waits for the write lock: waiting would stop
 * the event loop, and with it a Prisma transaction of this very process that holds the lock.
 */
function usageWriter(): Database.Database {
  if (!globalForUsage.keywardUsageWriter) {
    const handle = openSqlite(sqliteFilePath(databaseUrl()));
    handle.pragma("busy_timeout = 0");
    globalForUsage.keywardUsageWriter = handle;
  }
  return globalForUsage.keywardUsageWriter;
}

/** One transaction of prepared UPSERTs through a driver connection (SQLite). */
const prepared = new WeakMap<
  Database.Database,
  { bucket: Database.Statement; key: Database.Statement }
>();

function writeSqliteUsage(handle: Database.Database, counts: UsageCount[]): void {
  let statements = prepared.get(handle);
  if (!statements) {
    statements = { bucket: handle.prepare(SQLITE_BUCKET), key: handle.prepare(SQLITE_KEY) };
    prepared.set(handle, statements);
  }
  const { bucket, key } = statements;
  handle.transaction(() => {
    for (const count of counts) {
      const lastUsedAt = sqliteTime(count.lastUsedAt);
      bucket.run(
        count.apiKeyId,
        sqliteTime(count.bucketStart),
        count.tenantId,
        count.requests,
        lastUsedAt,
        count.lastIp,
      );
      key.run(lastUsedAt, count.lastIp, count.apiKeyId, lastUsedAt);
    }
  })();
}

function isBusy(error: unknown): boolean {
  return (error as { code?: string } | null)?.code?.startsWith("SQLITE_BUSY") ?? false;
}

/**
 * Adds a batch of counts to the usage buckets and moves each key's last use forward. False when
 * the database was busy and nothing was written: the caller keeps the counts for the next flush.
 */
export async function writeUsage(counts: UsageCount[]): Promise<boolean> {
  if (counts.length === 0) return true;
  try {
    writeSqliteUsage(usageWriter(), counts);
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}

/** The same, synchronously, for the moment the process exits: no event loop is left to wait for. */
export function writeUsageSync(counts: UsageCount[]): boolean {
  if (counts.length > 0) writeSqliteUsage(sqlite(), counts);
  return true;
}
