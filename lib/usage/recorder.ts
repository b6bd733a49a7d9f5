import "server-only";
import { beforeDatabaseCloses, writeUsage, writeUsageSync, type UsageCount } from "@/lib/db";

/** Also the most a `kill -9` can lose: the counts since the last flush (README, "Stopping"). */
const FLUSH_INTERVAL_MS = 2000;
/** Distinct (key, hour) entries that trigger a flush before the interval is up. */
const FLUSH_AT_ENTRIES = 500;
const HOUR_MS = 3_600_000;

/** What the request path keeps per (key, hour): numbers only, made into a `UsageCount` at flush. */
interface PendingCount {
  apiKeyId: string;
  tenantId: string;
  bucketStart: number;
  requests: number;
  lastUsedAt: number;
  lastIp: string | null;
}

interface UsageState {
  pending: Map<string, PendingCount>;
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

/**
 * `KEYWARD_USAGE_ACCOUNTING=off` switches counting off (for measuring what it costs). Read once, at
 * start: the request path does not consult the environment.
 */
const accountingEnabled = process.env.KEYWARD_USAGE_ACCOUNTING !== "off";

function takePending(): UsageCount[] {
  if (state.pending.size === 0) return [];
  const counts = [...state.pending.values()].map((count) => ({
    ...count,
    bucketStart: new Date(count.bucketStart),
    lastUsedAt: new Date(count.lastUsedAt),
  }));
  state.pending = new Map();
  return counts;
}

function putBack(counts: UsageCount[]): void {
  for (const count of counts) {
    const bucketStart = count.bucketStart.getTime();
    const lastUsedAt = count.lastUsedAt.getTime();
    const entry = `${count.apiKeyId}|${bucketStart}`;
    const current = state.pending.get(entry);
    if (!current) {
      state.pending.set(entry, { ...count, bucketStart, lastUsedAt });
      continue;
    }
    current.requests += count.requests;
    if (lastUsedAt > current.lastUsedAt) {
      current.lastUsedAt = lastUsedAt;
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

/**
 * At shutdown, after the last request: flushes until nothing is left, trying a busy or failing
 * database again. The server bounds the wait.
 */
async function flushAllUsage(): Promise<void> {
  clearInterval(state.timer);
  await flushUsage();
  while (state.pending.size > 0) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await flushUsage();
  }
}

/** The last resort when the process exits without the server's shutdown: SQLite only. */
function flushOnExit(): void {
  const counts = takePending();
  try {
    if (writeUsageSync(counts)) return;
  } catch (error) {
    console.error("[keyward] usage flush at exit failed", error);
  }
  const lost = counts.reduce((sum, count) => sum + count.requests, 0);
  if (lost > 0) console.error(`[keyward] ${lost} counted requests were not written before exit`);
}

function installHooks(): void {
  if (state.hooked) return;
  state.hooked = true;
  state.timer = setInterval(() => void flushUsage(), FLUSH_INTERVAL_MS);
  state.timer.unref();
  // A signal stops the server (scripts/server.mjs), which writes the counts once its last request
  // is answered, on either engine; the exit hook writes what another way out leaves, where it can.
  beforeDatabaseCloses(flushAllUsage);
  process.once("beforeExit", () => void flushUsage());
  process.on("exit", flushOnExit);
}

/** Counts one verified key request towards its key's hourly bucket; no database write here. */
export function recordKeyUse(
  use: { apiKeyId: string; tenantId: string; ip: string | null | undefined },
  now = Date.now(),
): void {
  if (!accountingEnabled) return;
  installHooks();
  const bucketStart = now - (now % HOUR_MS);
  const entry = `${use.apiKeyId}|${bucketStart}`;
  const current = state.pending.get(entry);
  if (current) {
    current.requests += 1;
    if (now >= current.lastUsedAt) {
      current.lastUsedAt = now;
      current.lastIp = use.ip ?? null;
    }
    return;
  }
  state.pending.set(entry, {
    apiKeyId: use.apiKeyId,
    tenantId: use.tenantId,
    bucketStart,
    requests: 1,
    lastUsedAt: now,
    lastIp: use.ip ?? null,
  });
  if (state.pending.size >= FLUSH_AT_ENTRIES) void flushUsage();
}
