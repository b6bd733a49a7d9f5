import "server-only";
import { db } from "./index";
import { sqlite } from "./sqlite";
import { isPostgres } from "./url";

/** Requests of one key in one hourly bucket, as counted in memory since the last flush. */
export interface UsageCount {
  apiKeyId: string;
  tenantId: string;
  bucketStart: Date;
  requests: number;
  lastUsedAt: Date;
  lastIp: string | null;
}

/** SQLite keeps Prisma DateTimes as TEXT in this format; comparisons are textual. */
function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
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

/** Adds a batch of counts to the usage buckets and moves each key's last use forward. */
export async function writeUsage(counts: UsageCount[]): Promise<void> {
  if (counts.length === 0) return;
  const postgres = isPostgres();
  await db.$transaction(
    counts.flatMap((count) =>
      postgres
        ? [
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
          ]
        : [
            db.$executeRawUnsafe(
              SQLITE_BUCKET,
              count.apiKeyId,
              sqliteTime(count.bucketStart),
              count.tenantId,
              count.requests,
              sqliteTime(count.lastUsedAt),
              count.lastIp,
            ),
            db.$executeRawUnsafe(
              SQLITE_KEY,
              sqliteTime(count.lastUsedAt),
              count.lastIp,
              count.apiKeyId,
              sqliteTime(count.lastUsedAt),
            ),
          ],
    ),
  );
}

/**
 * The same, synchronously, for the moment the process exits (SQLite only: no event loop is left
 * to wait for anything asynchronous). Returns false where it cannot write synchronously.
 */
export function writeUsageSync(counts: UsageCount[]): boolean {
  if (isPostgres()) return false;
  if (counts.length === 0) return true;
  const handle = sqlite();
  const bucket = handle.prepare(SQLITE_BUCKET);
  const key = handle.prepare(SQLITE_KEY);
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
  return true;
}
