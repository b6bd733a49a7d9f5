import "server-only";
import { writeUsage, writeUsageSync, type UsageCount } from "@/lib/db/usage-store";

const FLUSH_INTERVAL_MS = 2000;
/** Distinct (key, hour) entries that trigger a flush before the interval is up. */
const FLUSH_AT_ENTRIES = 500;
const HOUR_MS = 3_600_000;

interface UsageState {
  pending: Map<string, UsageCount>;
  timer?: NodeJS.Timeout;
  flushing: Promise<void>;
  hooked: boolean;
}

const globalForUsage = globalThis as unknown as { keywardUsage?: UsageState };
const state: UsageState = (globalForUsage.keywardUsage ??= {
  pending: new Map(),
  flushing: Promise.resolve(),
  hooked: false,
});

/** `KEYWARD_USAGE_ACCOUNTING=off` switches counting off (for measuring what it costs). */
export function usageAccountingEnabled(): boolean {
  return process.env.KEYWARD_USAGE_ACCOUNTING !== "off";
}

function takePending(): UsageCount[] {
  if (state.pending.size === 0) return [];
  const counts = [...state.pending.values()];
  state.pending = new Map();
  return counts;
}

function putBack(counts: UsageCount[]): void {
  for (const count of counts) {
    const entry = `${count.apiKeyId}|${count.bucketStart.getTime()}`;
    const current = state.pending.get(entry);
    if (!current) {
      state.pending.set(entry, count);
      continue;
    }
    current.requests += count.requests;
    if (count.lastUsedAt > current.lastUsedAt) {
      current.lastUsedAt = count.lastUsedAt;
      current.lastIp = count.lastIp;
    }
  }
}

/**
 * Writes everything counted so far as one batch of UPSERTs. Flushes run one after another; counts
 * of a failed flush go back into the buffer so that none are lost.
 */
export function flushUsage(): Promise<void> {
  state.flushing = state.flushing.then(async () => {
    const counts = takePending();
    try {
      // A busy database keeps the counts for the next flush.
      if (!(await writeUsage(counts))) putBack(counts);
    } catch (error) {
      putBack(counts);
      console.error("[keyward] usage flush failed; will retry", error);
    }
  });
  return state.flushing;
}

function flushOnExit(): void {
  const counts = takePending();
  try {
    if (!writeUsageSync(counts)) putBack(counts);
  } catch (error) {
    console.error("[keyward] usage flush at exit failed", error);
  }
}

function installHooks(): void {
  if (state.hooked) return;
  state.hooked = true;
  state.timer = setInterval(() => void flushUsage(), FLUSH_INTERVAL_MS);
  state.timer.unref();
  // Whatever stops the process, the last counts are written: synchronously on exit where the
  // store allows it, otherwise by the asynchronous flush started on the signal.
  process.once("beforeExit", () => void flushUsage());
  process.on("exit", flushOnExit);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      flushOnExit();
      // Exit ourselves only when nobody else (Next's own handler) will.
      void flushUsage().finally(() => {
        if (process.listenerCount(signal) === 0) process.exit(signal === "SIGINT" ? 130 : 143);
      });
    });
  }
}

/** Counts one verified key request towards its key's hourly bucket; no database write here. */
export function recordKeyUse(
  use: { apiKeyId: string; tenantId: string; ip: string | null | undefined },
  now = Date.now(),
): void {
  if (!usageAccountingEnabled()) return;
  installHooks();
  const bucket = now - (now % HOUR_MS);
  const entry = `${use.apiKeyId}|${bucket}`;
  const current = state.pending.get(entry);
  if (current) {
    current.requests += 1;
    if (now >= current.lastUsedAt.getTime()) {
      current.lastUsedAt = new Date(now);
      current.lastIp = use.ip ?? null;
    }
  } else {
    state.pending.set(entry, {
      apiKeyId: use.apiKeyId,
      tenantId: use.tenantId,
      bucketStart: new Date(bucket),
      requests: 1,
      lastUsedAt: new Date(now),
      lastIp: use.ip ?? null,
    });
    if (state.pending.size >= FLUSH_AT_ENTRIES) void flushUsage();
  }
}
