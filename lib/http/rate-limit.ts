import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { sharedLimiter } from "@/lib/db/rate-limit-store";

function positiveIntegerFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const globalForLimiters = globalThis as unknown as {
  keywardKeyLimiter?: RateLimiterAbstract;
  keywardFailureLimiter?: RateLimiterAbstract;
};

/** Requests per key per minute (`KEYWARD_RATE_LIMIT_PER_KEY`, default 1000). */
function keyLimiter(): RateLimiterAbstract {
  globalForLimiters.keywardKeyLimiter ??= sharedLimiter({
    keyPrefix: "key",
    points: positiveIntegerFromEnv("KEYWARD_RATE_LIMIT_PER_KEY", 1000),
    durationSeconds: 60,
  });
  return globalForLimiters.keywardKeyLimiter;
}

/** Refused credentials per client IP per minute (`KEYWARD_RATE_LIMIT_FAILURES_PER_IP`, default 30). */
function failureLimiter(): RateLimiterAbstract {
  globalForLimiters.keywardFailureLimiter ??= sharedLimiter({
    keyPrefix: "fail",
    points: positiveIntegerFromEnv("KEYWARD_RATE_LIMIT_FAILURES_PER_IP", 30),
    durationSeconds: 60,
  });
  return globalForLimiters.keywardFailureLimiter;
}

/** Milliseconds to wait when refused, or null when the request may go ahead. */
export type RateDecision = number | null;

async function consume(limiter: RateLimiterAbstract, key: string): Promise<RateDecision> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(rejection.msBeforeNext, 1000);
    throw rejection;
  }
}

/** Counts one request of a verified key against its per-minute limit. */
export function consumeKeyRequest(apiKeyId: string): Promise<RateDecision> {
  return consume(keyLimiter(), apiKeyId);
}

/** Counts one refused credential from a client IP. */
export function consumeRefusal(ip: string): Promise<RateDecision> {
  return consume(failureLimiter(), ip);
}

/** Whether an IP has already used up its refusals: it is then refused before any key lookup. */
export async function refusalsExhausted(ip: string): Promise<RateDecision> {
  const limiter = failureLimiter();
  const state = await limiter.get(ip);
  if (state && state.consumedPoints >= limiter.points) return Math.max(state.msBeforeNext, 1000);
  return null;
}
