import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { configuredLimiter, takePoint } from "@/lib/db/rate-limit-store";

/** Requests per key per minute (`KEYWARD_RATE_LIMIT_PER_KEY`, default 1000). */
function keyLimiter(): Promise<RateLimiterAbstract> {
  return configuredLimiter({
    keyPrefix: "key",
    pointsFrom: "KEYWARD_RATE_LIMIT_PER_KEY",
    defaultPoints: 1000,
    durationSeconds: 60,
  });
}

/** Refused credentials per client IP per minute (`KEYWARD_RATE_LIMIT_FAILURES_PER_IP`, default 30). */
function failureLimiter(): Promise<RateLimiterAbstract> {
  return configuredLimiter({
    keyPrefix: "fail",
    pointsFrom: "KEYWARD_RATE_LIMIT_FAILURES_PER_IP",
    defaultPoints: 30,
    durationSeconds: 60,
  });
}

/** Milliseconds to wait when refused, or null when the request may go ahead. */
export type RateDecision = number | null;

interface Lease {
  remaining: number;
  /** The shared window ends here; unused points do not carry over. */
  until: number;
  /** The store refused: every request is refused until the window ends. */
  exhausted: boolean;
}

const leases = new Map<string, Lease>();

/** Entries kept per map before those whose window has ended are dropped. */
const SWEEP_AT = 10_000;

function sweep<V>(entries: Map<string, V>, endOf: (value: V) => number, now: number): void {
  if (entries.size < SWEEP_AT) return;
  for (const [key, value] of entries) if (endOf(value) <= now) entries.delete(key);
}

/**
 * Points taken from the shared store at once: 1% of the limit, at most 100, so that an instance
 * leaves at most 1% of a window unused; 1 for limits under 100, where every point matters.
 */
function leaseSize(points: number): number {
  return Math.min(100, Math.max(1, Math.floor(points / 100)));
}

/**
 * Counts one request of a verified key from this instance's lease, without touching the store.
 * Undefined when the lease is used up or its window has ended: then `consumeKeyRequest` decides.
 */
export function consumeLeasedKeyRequest(
  apiKeyId: string,
  now = Date.now(),
): RateDecision | undefined {
  const lease = leases.get(apiKeyId);
  if (!lease) return undefined;
  const wait = lease.until - now;
  if (wait <= 0) return undefined;
  if (lease.exhausted) return Math.max(wait, 1000);
  if (lease.remaining === 0) return undefined;
  lease.remaining -= 1;
  return null;
}

/**
 * Counts one request of a verified key against its per-minute limit. The shared store is written
 * once per lease of points rather than once per request; leased points count in the store at once,
 * so all instances together never exceed the limit.
 */
export async function consumeKeyRequest(apiKeyId: string): Promise<RateDecision> {
  const leased = consumeLeasedKeyRequest(apiKeyId);
  if (leased !== undefined) return leased;
  const now = Date.now();
  const limiter = await keyLimiter();
  const size = leaseSize(limiter.points);
  try {
    const granted = await limiter.consume(apiKeyId, size);
    // Concurrent requests may each have taken a lease: points left from another are kept.
    const current = leases.get(apiKeyId);
    const carried = current && !current.exhausted && current.until > now ? current.remaining : 0;
    sweep(leases, (lease) => lease.until, now);
    leases.set(apiKeyId, {
      remaining: carried + size - 1,
      until: now + granted.msBeforeNext,
      exhausted: false,
    });
    return null;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    // A concurrent request may have refilled the lease meanwhile.
    if (consumeLeasedKeyRequest(apiKeyId) === null) return null;
    // A refusal the limiter held in memory (the key already over its limit) took nothing from the
    // store, and there is nothing left to take one point at a time.
    if (size > 1 && rejection.consumedPoints > 0) {
      // Not a whole lease left: give it back and take the last points one at a time.
      await limiter.reward(apiKeyId, size);
      const wait = await takePoint(limiter, apiKeyId);
      if (wait === null) return null;
    }
    sweep(leases, (lease) => lease.until, now);
    leases.set(apiKeyId, { remaining: 0, until: now + rejection.msBeforeNext, exhausted: true });
    return Math.max(rejection.msBeforeNext, 1000);
  }
}

// IPs the shared store has refused, until their window ends. The store stays authoritative: every
// instance learns of an exhausted IP from the store at that IP's next refusal there.
const blockedIps = new Map<string, number>();

/** Counts one refused credential from a client IP. */
export async function consumeRefusal(ip: string): Promise<RateDecision> {
  const wait = await takePoint(await failureLimiter(), ip);
  if (wait !== null) {
    const now = Date.now();
    sweep(blockedIps, (until) => until, now);
    blockedIps.set(ip, now + wait);
  }
  return wait;
}

/**
 * Whether an IP has used up its refusals: its next refused token is then answered 429 from memory,
 * without a store write. A valid key is never asked this: it is served whatever its address did.
 */
export function refusalsExhausted(ip: string): RateDecision {
  const until = blockedIps.get(ip);
  if (until === undefined) return null;
  const wait = until - Date.now();
  if (wait > 0) return Math.max(wait, 1000);
  blockedIps.delete(ip);
  return null;
}

/** Leak reports per client address per minute (`KEYWARD_RATE_LIMIT_LEAK_REPORTS_PER_IP`, default 10). */
export async function consumeLeakReport(ip: string | null): Promise<RateDecision> {
  const limiter = await configuredLimiter({
    keyPrefix: "leaks",
    pointsFrom: "KEYWARD_RATE_LIMIT_LEAK_REPORTS_PER_IP",
    defaultPoints: 10,
    durationSeconds: 60,
  });
  return takePoint(limiter, ip ?? "unknown");
}
