import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import type { UsageCount } from "@/lib/db/dialect";
import { testEngine } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { writeUsage } from "./usage";

const HOUR_MS = 3_600_000;

describe.runIf(testEngine === "postgres")("the usage flush (PostgreSQL only)", () => {
  it("adds up exactly when two instances flush the same buckets at once", async () => {
    const tenant = await createTenant({ maxKeysPerUser: 10 });
    const owner = principalOf(await createUser(tenant.id, { developer: true }));
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      keys.push((await createApiKey(owner, { description: `shared ${i}` })).key.id);
    }
    const hour = Date.UTC(2026, 10, 27, 9);

    /** One flush: every key in two hourly buckets, in the order this instance met them. */
    function batch(instance: "a" | "b", flush: number): UsageCount[] {
      const order = instance === "a" ? keys : [...keys].reverse();
      return order.flatMap((apiKeyId) =>
        [hour, hour + HOUR_MS].map((bucketStart) => ({
          apiKeyId,
          tenantId: tenant.id,
          bucketStart: new Date(bucketStart),
          requests: instance === "a" ? 3 : 5,
          lastUsedAt: new Date(bucketStart + flush * 1000 + (instance === "a" ? 0 : 500)),
          lastIp: `10.0.${instance === "a" ? 1 : 2}.${flush}`,
        })),
      );
    }

    const flushes = 10;
    const results = await Promise.allSettled(
      Array.from({ length: flushes }, (_, flush) => [
        writeUsage(batch("a", flush)),
        writeUsage(batch("b", flush)),
      ]).flat(),
    );
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);

    const buckets = await db.apiKeyUsage.findMany({ where: { tenantId: tenant.id } });
    expect(buckets).toHaveLength(keys.length * 2);
    const last = flushes - 1;
    for (const bucket of buckets) {
      expect(bucket.requests).toBe(flushes * (3 + 5));
      expect(bucket.lastUsedAt.getTime()).toBe(bucket.bucketStart.getTime() + last * 1000 + 500);
      expect(bucket.lastIp).toBe(`10.0.2.${last}`);
    }
    const stored = await db.apiKey.findMany({ where: { id: { in: keys } } });
    for (const key of stored) {
      expect(key.lastUsedAt?.getTime()).toBe(hour + HOUR_MS + last * 1000 + 500);
      expect(key.lastUsedIp).toBe(`10.0.2.${last}`);
    }
  });
});
