import "server-only";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const USAGE_PERIODS = {
  "24h": { label: "Last 24 hours", points: 24, unit: "hour" },
  "7d": { label: "Last 7 days", points: 7, unit: "day" },
  "30d": { label: "Last 30 days", points: 30, unit: "day" },
} as const;
export type UsagePeriod = keyof typeof USAGE_PERIODS;
export const DEFAULT_USAGE_PERIOD: UsagePeriod = "24h";

/** A key is flagged when its last hour is this many times its usual hour… */
export const UNUSUAL_FACTOR = 10;
/** …and at least this many requests, so that quiet keys waking up are not flagged. */
export const UNUSUAL_FLOOR = 100;
const BASELINE_HOURS = 7 * 24;

export function isUsagePeriod(value: unknown): value is UsagePeriod {
  return typeof value === "string" && Object.hasOwn(USAGE_PERIODS, value);
}

export interface UsagePoint {
  /** Start of the hour or UTC day, ISO-8601. */
  start: string;
  requests: number;
}

export interface UsageSeries {
  period: UsagePeriod;
  unit: "hour" | "day";
  points: UsagePoint[];
  total: number;
}

export interface KeyUsage {
  apiKeyId: string;
  /** The key's name, or null when the key has since been deleted. */
  name: string | null;
  owner: { name: string; email: string } | null;
  requests: number;
  points: UsagePoint[];
  lastUsedAt: string | null;
  lastIp: string | null;
  unusual: boolean;
}

function floorHour(time: number): number {
  return Math.floor(time / HOUR) * HOUR;
}

function floorDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

/** The period's point starts, oldest first, ending with the current hour or day. */
function pointStarts(period: UsagePeriod, now: Date): number[] {
  const { points, unit } = USAGE_PERIODS[period];
  const step = unit === "hour" ? HOUR : DAY;
  const last = unit === "hour" ? floorHour(now.getTime()) : floorDay(now.getTime());
  return Array.from({ length: points }, (_, i) => last - (points - 1 - i) * step);
}

function toPoints(
  period: UsagePeriod,
  starts: number[],
  buckets: { bucketStart: Date; requests: number }[],
): UsagePoint[] {
  const floor = USAGE_PERIODS[period].unit === "hour" ? floorHour : floorDay;
  const sums = new Map<number, number>(starts.map((start) => [start, 0]));
  for (const bucket of buckets) {
    const start = floor(bucket.bucketStart.getTime());
    const sum = sums.get(start);
    if (sum !== undefined) sums.set(start, sum + bucket.requests);
  }
  return starts.map((start) => ({
    start: new Date(start).toISOString(),
    requests: sums.get(start) ?? 0,
  }));
}

/** Requests of the whole tenant per hour (24 hours) or per UTC day (7 or 30 days). */
export async function tenantUsageSeries(
  principal: Principal,
  period: UsagePeriod = DEFAULT_USAGE_PERIOD,
  now = new Date(),
): Promise<UsageSeries> {
  requireRole(principal, "TenantAdmin");
  return usageSeries({ tenantId: principal.tenantId }, period, now);
}

/**
 * Requests of one key, as tenantUsageSeries counts them. Callers check who may see the key
 * (lib/api-keys/details); this only reads usage.
 */
export async function keyUsageSeries(
  tenantId: string,
  apiKeyId: string,
  period: UsagePeriod = DEFAULT_USAGE_PERIOD,
  now = new Date(),
): Promise<UsageSeries> {
  return usageSeries({ tenantId, apiKeyId }, period, now);
}

async function usageSeries(
  scope: { tenantId: string; apiKeyId?: string },
  period: UsagePeriod,
  now: Date,
): Promise<UsageSeries> {
  const starts = pointStarts(period, now);
  const hours = await db.apiKeyUsage.groupBy({
    by: ["bucketStart"],
    where: { ...scope, bucketStart: { gte: new Date(starts[0]) } },
    _sum: { requests: true },
  });
  const points = toPoints(
    period,
    starts,
    hours.map((hour) => ({ bucketStart: hour.bucketStart, requests: hour._sum.requests ?? 0 })),
  );
  return {
    period,
    unit: USAGE_PERIODS[period].unit,
    points,
    total: points.reduce((sum, point) => sum + point.requests, 0),
  };
}

export interface KeyAddress {
  ip: string;
  /** The last request from this address that was counted. */
  lastUsedAt: string;
}

/**
 * The addresses a key was last used from, newest first. Usage keeps the address of the last
 * request of each hour only, so an address that never made an hour's last request is not seen.
 * Callers check who may see the key; this only reads usage.
 */
export async function recentKeyAddresses(
  tenantId: string,
  apiKeyId: string,
  limit = 10,
): Promise<KeyAddress[]> {
  const hours = await db.apiKeyUsage.findMany({
    where: { tenantId, apiKeyId, lastIp: { not: null } },
    // Each hour's last use lies within that hour: the key's own index gives them newest first.
    orderBy: { bucketStart: "desc" },
    select: { lastIp: true, lastUsedAt: true },
    take: 500,
  });
  const seen = new Map<string, KeyAddress>();
  for (const hour of hours) {
    if (!hour.lastIp || seen.has(hour.lastIp)) continue;
    seen.set(hour.lastIp, { ip: hour.lastIp, lastUsedAt: hour.lastUsedAt.toISOString() });
    if (seen.size >= limit) break;
  }
  return [...seen.values()];
}

/** The keys with the most requests in the period, busiest first, each with its own series. */
export async function topKeysByUsage(
  principal: Principal,
  period: UsagePeriod = DEFAULT_USAGE_PERIOD,
  options: { limit?: number; now?: Date } = {},
): Promise<KeyUsage[]> {
  requireRole(principal, "TenantAdmin");
  const now = options.now ?? new Date();
  const tenantId = principal.tenantId;
  const starts = pointStarts(period, now);
  const since = new Date(starts[0]);
  const top = await db.apiKeyUsage.groupBy({
    by: ["apiKeyId"],
    where: { tenantId, bucketStart: { gte: since } },
    _sum: { requests: true },
    orderBy: [{ _sum: { requests: "desc" } }, { apiKeyId: "asc" }],
    take: options.limit ?? 10,
  });
  if (top.length === 0) return [];
  const keyIds = top.map((row) => row.apiKeyId);
  const [keys, buckets, unusual] = await Promise.all([
    db.apiKey.findMany({
      where: { tenantId, id: { in: keyIds } },
      select: { id: true, description: true, owner: { select: { name: true, email: true } } },
    }),
    db.apiKeyUsage.findMany({
      where: { tenantId, apiKeyId: { in: keyIds }, bucketStart: { gte: since } },
      orderBy: { bucketStart: "asc" },
    }),
    unusualKeyIds(tenantId, keyIds, now),
  ]);
  const keyById = new Map(keys.map((key) => [key.id, key]));
  return top.map((row) => {
    const key = keyById.get(row.apiKeyId);
    const own = buckets.filter((bucket) => bucket.apiKeyId === row.apiKeyId);
    const latest = own.reduce<(typeof own)[number] | undefined>(
      (best, bucket) => (!best || bucket.lastUsedAt > best.lastUsedAt ? bucket : best),
      undefined,
    );
    return {
      apiKeyId: row.apiKeyId,
      name: key?.description ?? null,
      owner: key ? { name: key.owner.name, email: key.owner.email } : null,
      requests: row._sum.requests ?? 0,
      points: toPoints(period, starts, own),
      lastUsedAt: latest?.lastUsedAt.toISOString() ?? null,
      lastIp: latest?.lastIp ?? null,
      unusual: unusual.has(row.apiKeyId),
    };
  });
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Keys of the tenant with unusual activity: the busier of the current and the previous hour has
 * at least UNUSUAL_FLOOR requests and more than UNUSUAL_FACTOR × the key's median hour over the 7
 * days before (hours without use count as 0, from the key's creation on). Callers check who may
 * see the tenant's keys; this only reads usage. Pass `keyIds` to limit the check to those keys.
 */
export async function unusualKeyIds(
  tenantId: string,
  keyIds?: string[],
  now = new Date(),
): Promise<Set<string>> {
  const current = floorHour(now.getTime());
  const recentStart = current - HOUR;
  const candidates = await db.apiKeyUsage.findMany({
    where: {
      tenantId,
      bucketStart: { gte: new Date(recentStart) },
      requests: { gte: UNUSUAL_FLOOR },
      ...(keyIds ? { apiKeyId: { in: keyIds } } : {}),
    },
    select: { apiKeyId: true },
    distinct: ["apiKeyId"],
  });
  const ids = candidates.map((row) => row.apiKeyId);
  if (ids.length === 0) return new Set();
  const baselineStart = recentStart - BASELINE_HOURS * HOUR;
  const [buckets, keys] = await Promise.all([
    db.apiKeyUsage.findMany({
      where: { tenantId, apiKeyId: { in: ids }, bucketStart: { gte: new Date(baselineStart) } },
      select: { apiKeyId: true, bucketStart: true, requests: true },
    }),
    db.apiKey.findMany({
      where: { tenantId, id: { in: ids } },
      select: { id: true, createdAt: true },
    }),
  ]);
  const createdAt = new Map(keys.map((key) => [key.id, key.createdAt.getTime()]));
  const unusual = new Set<string>();
  for (const id of ids) {
    const hours = new Map<number, number>();
    for (const bucket of buckets) {
      if (bucket.apiKeyId !== id) continue;
      const start = floorHour(bucket.bucketStart.getTime());
      hours.set(start, (hours.get(start) ?? 0) + bucket.requests);
    }
    const recent = Math.max(hours.get(current) ?? 0, hours.get(recentStart) ?? 0);
    // A deleted key's lifetime is known only from its first bucket.
    const born = floorHour(createdAt.get(id) ?? Math.min(...hours.keys()));
    const baseline: number[] = [];
    for (let hour = Math.max(baselineStart, born); hour < recentStart; hour += HOUR) {
      baseline.push(hours.get(hour) ?? 0);
    }
    if (recent >= UNUSUAL_FLOOR && recent > UNUSUAL_FACTOR * median(baseline)) unusual.add(id);
  }
  return unusual;
}
