import "server-only";
import type { UsageCount } from "../dialect";
import { pool } from "./pool";

// Additive upserts: instances flushing the same bucket at once add up, never overwrite.
const BUCKET_SQL = `INSERT INTO "ApiKeyUsage" ("apiKeyId", "bucketStart", "tenantId", "requests", "lastUsedAt", "lastIp")
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])
  ON CONFLICT ("apiKeyId", "bucketStart") DO UPDATE SET
    "requests" = "ApiKeyUsage"."requests" + excluded."requests",
    "lastUsedAt" = GREATEST("ApiKeyUsage"."lastUsedAt", excluded."lastUsedAt"),
    "lastIp" = CASE WHEN excluded."lastUsedAt" > "ApiKeyUsage"."lastUsedAt" THEN excluded."lastIp" ELSE "ApiKeyUsage"."lastIp" END`;

const KEY_SQL = `UPDATE "ApiKey" k SET "lastUsedAt" = u."lastUsedAt", "lastUsedIp" = u."lastIp"
  FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u("id", "lastUsedAt", "lastIp")
  WHERE k."id" = u."id" AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < u."lastUsedAt")`;

/** The latest use of each key in the batch, for the key rows' "last used". */
function latestPerKey(counts: UsageCount[]): UsageCount[] {
  const latest = new Map<string, UsageCount>();
  for (const count of counts) {
    const kept = latest.get(count.apiKeyId);
    if (!kept || kept.lastUsedAt < count.lastUsedAt) latest.set(count.apiKeyId, count);
  }
  return [...latest.values()];
}

/** Rows in one order on every instance, so that instances flushing at once cannot deadlock. */
function byKeyAndBucket(a: UsageCount, b: UsageCount): number {
  if (a.apiKeyId !== b.apiKeyId) return a.apiKeyId < b.apiKeyId ? -1 : 1;
  return a.bucketStart.getTime() - b.bucketStart.getTime();
}

/** One transaction, two statements, whatever the batch's size. */
export async function writeUsage(batch: UsageCount[]): Promise<boolean> {
  if (batch.length === 0) return true;
  const counts = [...batch].sort(byKeyAndBucket);
  const keys = latestPerKey(counts).sort((a, b) => (a.apiKeyId < b.apiKeyId ? -1 : 1));
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    await client.query(BUCKET_SQL, [
      counts.map((count) => count.apiKeyId),
      counts.map((count) => count.bucketStart),
      counts.map((count) => count.tenantId),
      counts.map((count) => count.requests),
      counts.map((count) => count.lastUsedAt),
      counts.map((count) => count.lastIp),
    ]);
    await client.query(KEY_SQL, [
      keys.map((key) => key.apiKeyId),
      keys.map((key) => key.lastUsedAt),
      keys.map((key) => key.lastIp),
    ]);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
