import "server-only";
import type Database from "better-sqlite3";
import { db } from "./index";
import { openSqlite, sqlite } from "./sqlite";
import { sqliteTime } from "./sqlite-time";
import { databaseUrl, isPostgres, sqliteFilePath } from "./url";

/** Requests of one key in one hourly bucket, as counted in memory since the last flush. */
export interface UsageCount {
  apiKeyId: string;
  tenantId: string;
  bucketStart: Date;
  requests: number;
  lastUsedAt: Date;
  lastIp: string | null;
}

const SQLITE_BUCKET = `INSERT INTO "ApiKeyUsage" ("apiKeyId", "bucketStart", "tenantId", "requests", "lastUsedAt", "lastIp")
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("apiKeyId", "bucketStart") DO UPDATE SET
    "requests" = "requests" + excluded."requests",
    "lastUsedAt" = CASE WHEN excluded."lastUsedAt" > "lastUsedAt" THEN excluded."lastUsedAt" ELSE "lastUsedAt" END,
    "lastIp" = CASE WHEN excluded."lastUsedAt" > "lastUsedAt" THEN excluded."lastIp" ELSE "lastIp" END`;

const SQLITE_KEY = `UPDATE "ApiKey" SET "lastUsedAt" = ?, "lastUsedIp" = ?
  WHERE "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`;

const PG_BUCKET = `INSERT INTO "ApiKeyUsage" ("apiKeyId", "bucketStart", "tenantId", "requests", "lastUsedAt", "lastIp")
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT ("apiKeyId", "bucketStart") DO UPDATE SET
    "requests" = "ApiKeyUsage"."requests" + excluded."requests",
    "lastUsedAt" = GREATEST("ApiKeyUsage"."lastUsedAt", excluded."lastUsedAt"),
    "lastIp" = CASE WHEN excluded."lastUsedAt" > "ApiKeyUsage"."lastUsedAt" THEN excluded."lastIp" ELSE "ApiKeyUsage"."lastIp" END`;

const PG_KEY = `UPDATE "ApiKey" SET "lastUsedAt" = $1, "lastUsedIp" = $2
  WHERE "id" = $3 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < $1)`;

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
  if (!isPostgres()) {
    try {
      writeSqliteUsage(usageWriter(), counts);
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
  }
  await db.$transaction(
    counts.flatMap((count) => [
      db.$executeRawUnsafe(
        PG_BUCKET,
        count.apiKeyId,
        count.bucketStart,
        count.tenantId,
        count.requests,
        count.lastUsedAt,
        count.lastIp,
      ),
      db.$executeRawUnsafe(PG_KEY, count.lastUsedAt, count.lastIp, count.apiKeyId),
    ]),
  );
  return true;
}

/**
 * The same, synchronously, for the moment the process exits (SQLite only: no event loop is left
 * to wait for anything asynchronous, so waiting for the lock is safe). Returns false where it
 * cannot write synchronously.
 */
export function writeUsageSync(counts: UsageCount[]): boolean {
  if (isPostgres()) return false;
  if (counts.length > 0) writeSqliteUsage(sqlite(), counts);
  return true;
}
