import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { Forbidden } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { tenantUsageSeries, topKeysByUsage, unusualKeyIds } from "./stats";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T10:30:00.000Z");
const CURRENT_HOUR = Date.parse("2026-11-20T10:00:00.000Z");

async function setup() {
  const tenant = await createTenant();
  const admin = principalOf(await createUser(tenant.id, { admin: true }));
  const owner = await createUser(tenant.id, { developer: true }, { name: "Owen Owner" });
  return { tenantId: tenant.id, admin, owner };
}

async function key(tenantId: string, ownerId: string, description: string, ageHours = 24 * 30) {
  const created = await db.apiKey.create({
    data: {
      id: newId(),
      tenantId,
      ownerId,
      description,
      digest: newId() + newId(),
      hint: "kw_…",
      createdAt: new Date(NOW.getTime() - ageHours * HOUR),
      expiresAt: new Date(NOW.getTime() + 30 * 24 * HOUR),
    },
  });
  return created.id;
}

/** Hourly buckets, `hoursAgo` 0 being the current hour. */
async function usage(
  tenantId: string,
  apiKeyId: string,
  buckets: [hoursAgo: number, requests: number][],
) {
  await db.apiKeyUsage.createMany({
    data: buckets.map(([hoursAgo, requests]) => ({
      apiKeyId,
      tenantId,
      bucketStart: new Date(CURRENT_HOUR - hoursAgo * HOUR),
      requests,
      lastUsedAt: new Date(CURRENT_HOUR - hoursAgo * HOUR + 60_000),
      lastIp: "203.0.113.9",
    })),
  });
}

describe("usage statistics", () => {
  it("counts 1,000 recorded uses as 1,000, per hour and per key", async () => {
    const { tenantId, admin, owner } = await setup();
    const id = await key(tenantId, owner.id, "Reporting");
    // 1,000 uses spread over ten hours of the last day, as the usage recorder leaves them.
    await usage(
      tenantId,
      id,
      Array.from({ length: 10 }, (_, i) => [i * 2, 100] as [number, number]),
    );
    const series = await tenantUsageSeries(admin, "24h", NOW);
    expect(series.total).toBe(1000);
    expect(series.points).toHaveLength(24);
    expect(series.points.at(-1)).toEqual({ start: "2026-11-20T10:00:00.000Z", requests: 100 });
    expect(series.points.at(-2)?.requests).toBe(0);
    const [top] = await topKeysByUsage(admin, "24h", { now: NOW });
    expect(top).toMatchObject({
      apiKeyId: id,
      name: "Reporting",
      owner: { name: "Owen Owner", email: owner.email },
      requests: 1000,
      lastIp: "203.0.113.9",
    });
    expect(top.points.reduce((sum, point) => sum + point.requests, 0)).toBe(1000);
  });

  it("sums per UTC day for 7 and 30 days, ranking the busiest key first", async () => {
    const { tenantId, admin, owner } = await setup();
    const quiet = await key(tenantId, owner.id, "Quiet");
    const busy = await key(tenantId, owner.id, "Busy");
    await usage(tenantId, quiet, [
      [1, 5],
      [50, 5],
    ]);
    await usage(tenantId, busy, [
      [1, 40],
      [30, 40],
      [24 * 10, 1000],
    ]);
    const week = await tenantUsageSeries(admin, "7d", NOW);
    expect(week.points).toHaveLength(7);
    expect(week.unit).toBe("day");
    expect(week.total).toBe(90);
    const month = await tenantUsageSeries(admin, "30d", NOW);
    expect(month.points).toHaveLength(30);
    expect(month.total).toBe(1090);
    const ranked = await topKeysByUsage(admin, "7d", { now: NOW });
    expect(ranked.map((k) => [k.name, k.requests])).toEqual([
      ["Busy", 80],
      ["Quiet", 10],
    ]);
  });

  it("keeps tenants apart and is for tenant admins only", async () => {
    const a = await setup();
    const b = await setup();
    await usage(b.tenantId, await key(b.tenantId, b.owner.id, "Theirs"), [[0, 500]]);
    expect((await tenantUsageSeries(a.admin, "24h", NOW)).total).toBe(0);
    expect(await topKeysByUsage(a.admin, "24h", { now: NOW })).toEqual([]);
    expect(await unusualKeyIds(a.tenantId, undefined, NOW)).toEqual(new Set());
    const developer: Principal = principalOf(a.owner);
    await expect(tenantUsageSeries(developer, "24h", NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(topKeysByUsage(developer, "24h", { now: NOW })).rejects.toBeInstanceOf(Forbidden);
  });
});

describe("unusual activity", () => {
  it("flags a key far above its own usual hour, and not one that is merely busy", async () => {
    const { tenantId, admin, owner } = await setup();
    const spiking = await key(tenantId, owner.id, "Spiking");
    const steady = await key(tenantId, owner.id, "Steady heavy");
    const small = await key(tenantId, owner.id, "Small");
    const history = (requests: number) =>
      Array.from({ length: 7 * 24 }, (_, i) => [i + 2, requests] as [number, number]);
    await usage(tenantId, spiking, [[0, 300], ...history(3)]);
    await usage(tenantId, steady, [[0, 300], ...history(50)]);
    await usage(tenantId, small, [
      [0, 5],
      [5, 1],
    ]);
    expect(await unusualKeyIds(tenantId, undefined, NOW)).toEqual(new Set([spiking]));
    expect(await unusualKeyIds(tenantId, [steady, small], NOW)).toEqual(new Set());
    const top = await topKeysByUsage(admin, "24h", { now: NOW });
    expect(top.find((k) => k.apiKeyId === spiking)?.unusual).toBe(true);
    expect(top.find((k) => k.apiKeyId === steady)?.unusual).toBe(false);
  });

  it("counts idle hours as zero, so a key used a few hours a week that bursts is flagged", async () => {
    const { tenantId, owner } = await setup();
    const bursty = await key(tenantId, owner.id, "Bursty");
    await usage(tenantId, bursty, [
      [1, 150],
      [30, 40],
      [60, 40],
      [90, 40],
    ]);
    // The previous hour counts as the last hour too, so a burst just before the hour turned shows.
    expect(await unusualKeyIds(tenantId, [bursty], NOW)).toEqual(new Set([bursty]));
  });

  it("needs at least 100 requests, and compares only within the key's own lifetime", async () => {
    const { tenantId, owner } = await setup();
    const quietSpike = await key(tenantId, owner.id, "Quiet spike");
    const young = await key(tenantId, owner.id, "Young and busy", 3);
    await usage(tenantId, quietSpike, [[0, 99]]);
    // Created three hours ago: its two earlier hours (120 each) are its whole history.
    await usage(tenantId, young, [
      [0, 130],
      [2, 120],
      [3, 120],
    ]);
    expect(await unusualKeyIds(tenantId, undefined, NOW)).toEqual(new Set());
  });
});
