import "server-only";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { dialect } from "./dialect";

/** A whole number above zero from the environment, or the fallback. */
function positiveIntegerFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export interface LimiterOptions {
  /** Distinguishes limiters sharing one table. */
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/**
 * A limiter whose counts live in the shared store (a SQLite file beside the database, or a PostgreSQL table), so that limits
 * hold across app instances. Keys already over their limit are refused from memory until their
 * window ends; should the store fail, a per-instance memory limiter stands in.
 *
 * Resolves once the store's table exists: a call before that would be answered by the stand-in
 * alone and counted nowhere else.
 */
export async function sharedLimiter(options: LimiterOptions): Promise<RateLimiterAbstract> {
  const store = (await dialect()).rateLimitStore();
  const common = {
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
    tableName: "keyward_rate_limits",
    inMemoryBlockOnConsumed: options.points + 1,
    insuranceLimiter: new RateLimiterMemory({
      keyPrefix: options.keyPrefix,
      points: options.points,
      duration: options.durationSeconds,
    }),
  };
  return new Promise((resolve) => {
    const ready = (error?: unknown) => {
      if (error)
        console.error("[keyward] rate-limit store unavailable; limits are per instance", error);
      // The callback may run inside the constructor, before `limiter` is assigned.
      queueMicrotask(() => resolve(limiter));
    };
    const limiter: RateLimiterAbstract =
      store.storeType === "pool"
        ? new RateLimiterPostgres({ ...common, ...store }, ready)
        : new RateLimiterSQLite({ ...common, ...store, clearExpiredByTimeout: true }, ready);
  });
}

const globalForConfigured = globalThis as unknown as {
  keywardLimiters?: Map<string, Promise<RateLimiterAbstract>>;
};

/**
 * The process's one limiter of `keyPrefix`, made on first use, with its points read from the
 * environment variable `pointsFrom` (a whole number above zero), else `defaultPoints`.
 */
export function configuredLimiter(options: {
  keyPrefix: string;
  pointsFrom: string;
  defaultPoints: number;
  durationSeconds: number;
}): Promise<RateLimiterAbstract> {
  const limiters = (globalForConfigured.keywardLimiters ??= new Map());
  let limiter = limiters.get(options.keyPrefix);
  if (!limiter) {
    limiter = sharedLimiter({
      keyPrefix: options.keyPrefix,
      points: positiveIntegerFromEnv(options.pointsFrom, options.defaultPoints),
      durationSeconds: options.durationSeconds,
    });
    limiters.set(options.keyPrefix, limiter);
  }
  return limiter;
}

/** Takes one point for `key`: null when granted, else the milliseconds to wait (at least 1 s). */
export async function takePoint(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(rejection.msBeforeNext, 1000);
    throw rejection;
  }
}
