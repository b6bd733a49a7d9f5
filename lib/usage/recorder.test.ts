import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createApiKey } from "@/lib/api-keys/service";
import { failInsertsFor, rawDatabase, testEngine } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { flushUsage, recordKeyUse } from "./recorder";

describe("usage recorder", () => {
  it("counts every request exactly, in hourly buckets, with the last use and address", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id, { developer: true });
    const { key } = await createApiKey(principalOf(owner), { description: "counted" });
    const hour = Date.UTC(2026, 10, 26, 10);
    const { updatedAt } = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });

    for (let i = 0; i < 10_000; i++) {
      recordKeyUse(
        { apiKeyId: key.id, tenantId: tenant.id, ip: "10.0.0.1" },
        hour + (i % 3600) * 1000,
      );
      // Flushes in the middle of counting must neither lose nor double a request.
      if (i === 4_000) await flushUsage();
    }
    recordKeyUse({ apiKeyId: key.id, tenantId: tenant.id, ip: "10.0.0.2" }, hour + 3_600_000 + 5);
    await flushUsage();

    const buckets = await db.apiKeyUsage.findMany({
      where: { apiKeyId: key.id },
      orderBy: { bucketStart: "asc" },
    });
    expect(buckets.map((bucket) => [bucket.bucketStart.getTime(), bucket.requests])).toEqual([
      [hour, 10_000],
      [hour + 3_600_000, 1],
    ]);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.lastUsedAt?.getTime()).toBe(hour + 3_600_000 + 5);
    expect(stored.lastUsedIp).toBe("10.0.0.2");
    // Use is not a change: lastUpdated stays as it was.
    expect(stored.updatedAt).toEqual(updatedAt);
  });

  it("keeps the counts of a flush the database refused, and writes them with the next", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id, { developer: true });
    const { key } = await createApiKey(principalOf(owner), { description: "refused" });
    const hour = Date.UTC(2026, 10, 26, 16);
    for (let i = 0; i < 25; i++)
      recordKeyUse({ apiKeyId: key.id, tenantId: tenant.id, ip: null }, hour + i);
    const repair = await failInsertsFor("ApiKeyUsage", tenant.id);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await flushUsage();
      expect(logged).toHaveBeenCalledWith(
        "[keyward] usage flush failed; will retry",
        expect.objectContaining({ message: expect.stringMatching(/ApiKeyUsage unavailable/) }),
      );
    } finally {
      logged.mockRestore();
      await repair();
    }
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: key.id } })).toBe(0);
    await flushUsage();
    const bucket = await db.apiKeyUsage.findFirstOrThrow({ where: { apiKeyId: key.id } });
    expect(bucket.requests).toBe(25);
  });

  it.runIf(testEngine === "sqlite")(
    "keeps the counts while another connection holds the write lock, and writes them after (SQLite only)",
    async () => {
      const tenant = await createTenant();
      const owner = await createUser(tenant.id, { developer: true });
      const { key } = await createApiKey(principalOf(owner), { description: "busy" });
      const hour = Date.UTC(2026, 10, 26, 14);
      for (let i = 0; i < 25; i++)
        recordKeyUse({ apiKeyId: key.id, tenantId: tenant.id, ip: null }, hour + i);
      const otherInstance = await rawDatabase();
      await otherInstance.run("BEGIN IMMEDIATE");
      const started = Date.now();
      try {
        await flushUsage();
      } finally {
        await otherInstance.run("ROLLBACK");
        await otherInstance.close();
      }
      // The flush gave up at once instead of stopping the event loop for the lock.
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await db.apiKeyUsage.count({ where: { apiKeyId: key.id } })).toBe(0);
      await flushUsage();
      const bucket = await db.apiKeyUsage.findFirstOrThrow({ where: { apiKeyId: key.id } });
      expect(bucket.requests).toBe(25);
    },
  );

  it("adds to a bucket another instance already wrote", async () => {
    const tenant = await createTenant();
    const owner = await createUser(tenant.id, { developer: true });
    const { key } = await createApiKey(principalOf(owner), { description: "shared" });
    const hour = Date.UTC(2026, 10, 26, 12);
    await db.apiKeyUsage.create({
      data: {
        apiKeyId: key.id,
        bucketStart: new Date(hour),
        tenantId: tenant.id,
        requests: 7,
        lastUsedAt: new Date(hour + 10),
        lastIp: "10.9.9.9",
      },
    });
    for (let i = 0; i < 5; i++)
      recordKeyUse({ apiKeyId: key.id, tenantId: tenant.id, ip: null }, hour + 1);
    await flushUsage();
    const bucket = await db.apiKeyUsage.findFirstOrThrow({ where: { apiKeyId: key.id } });
    expect(bucket.requests).toBe(12);
    // The older uses of this instance do not move the last use back.
    expect(bucket.lastIp).toBe("10.9.9.9");
    expect(bucket.lastUsedAt.getTime()).toBe(hour + 10);
  });
});
