// Auth overhead of the REST API: a Bearer-key call against the health baseline on the same server.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";
import { generateApiKeyId, generateApiKeyToken } from "@/lib/api-keys/token";
import { removeSqliteFiles } from "@/lib/db/sqlite-files.mjs";
import { sqliteTime } from "@/lib/db/sqlite/time";
import { freePort, stopServer, waitForHealth } from "@/scripts/server-process";
import type { BenchSuite } from "./suites";

interface CannonResult {
  requests: { average: number; total: number };
  /** Seconds the run took. */
  duration: number;
  latency: { p50: number; p99: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  /** A fixed number of requests instead of a duration: every one of them is answered and counted. */
  amount?: number;
  headers?: Record<string, string>;
}) => Promise<CannonResult>;
const autocannon = createRequire(__filename)("autocannon") as Cannon;

const root = path.resolve(__dirname, "..");
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS || 2);

/** A key of dev@acme, stored as Keyward stores keys (digest only). */
function insertKey(file: string): { id: string; token: string } {
  const db = new Database(file);
  const owner = db.prepare("SELECT id, tenantId FROM User WHERE email = 'dev@acme.test'").get() as {
    id: string;
    tenantId: string;
  };
  const token = generateApiKeyToken();
  const id = generateApiKeyId();
  const now = new Date();
  db.prepare(
    `INSERT INTO ApiKey (id, tenantId, ownerId, description, digest, hint, createdAt, updatedAt, expiresAt)
     VALUES (?, ?, ?, 'bench', ?, 'kw_…', ?, ?, ?)`,
  ).run(
    id,
    owner.tenantId,
    owner.id,
    createHash("sha256").update(token).digest("hex"),
    sqliteTime(now),
    sqliteTime(now),
    sqliteTime(new Date(now.getTime() + 86_400_000)),
  );
  db.close();
  return { id, token };
}

function countedRequests(file: string, keyId: string): number {
  const db = new Database(file, { readonly: true });
  const row = db
    .prepare("SELECT COALESCE(SUM(requests), 0) AS n FROM ApiKeyUsage WHERE apiKeyId = ?")
    .get(keyId) as { n: number };
  db.close();
  return row.n;
}

/** One keyed round between two health rounds. */
interface Round {
  /** Requests per second of the baseline before and after the keyed call, and of the keyed call. */
  health: number;
  key: number;
  healthAfter: number;
  /** Server CPU time per request (µs), where /proc is there to read it. */
  healthCpu?: number;
  keyCpu?: number;
  healthAfterCpu?: number;
}

interface Run {
  rounds: Round[];
  healthLatency: CannonResult["latency"];
  keyLatency: CannonResult["latency"];
  sent: number;
  counted: number;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS || 20);
const EXACT_REQUESTS = 10_000;

/**
 * Requests per second over the whole run. autocannon's `requests.average` is the mean of its
 * per-second samples, which counts a run's last partial second as a whole one.
 */
function rps(result: CannonResult): number {
  return result.requests.total / result.duration;
}

/** The Next.js server is the child of scripts/start.mjs. */
function serverPid(starter: ChildProcess): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${starter.pid}/task/${starter.pid}/children`, "utf8");
    return Number(children.trim().split(/\s+/)[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** User plus system CPU time of a process, in µs. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function timedRound(
  options: Parameters<Cannon>[0],
  pid: number | undefined,
): Promise<{ result: CannonResult; cpuPerRequest?: number }> {
  const before = cpuMicros(pid);
  const result = await autocannon({ ...options, duration: SECONDS });
  const after = cpuMicros(pid);
  const cpuPerRequest =
    before === undefined || after === undefined
      ? undefined
      : (after - before) / result.requests.total;
  return { result, cpuPerRequest };
}

async function measure(accounting: "on" | "off"): Promise<Run> {
  const port = await freePort();
  const file = path.join(root, "data", `bench-api-auth-${accounting}.db`);
  removeSqliteFiles(file);
  const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${file}`,
      AUTH_SECRET: "keyward-bench-secret",
      KEYWARD_USAGE_ACCOUNTING: accounting,
      // The limiter still runs on every request (its cost is measured) but never refuses here.
      KEYWARD_RATE_LIMIT_PER_KEY: "1000000000",
      NODE_ENV: "production",
    },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, server);
    const pid = serverPid(server);
    const key = insertKey(file);
    // A second key only for the exactness check, whose every request is answered and counted.
    const countedKey = insertKey(file);
    const health = { url: `${base}/api/health`, connections: CONNECTIONS };
    const keyed = (token: string) => ({
      url: `${base}/api/v1/users/me`,
      connections: CONNECTIONS,
      headers: { authorization: `Bearer ${token}` },
    });
    // Warm both paths up (JIT, prepared statements) before anything is measured.
    await autocannon({ ...health, duration: 2 });
    await autocannon({ ...keyed(key.token), duration: 2 });
    const rounds: Round[] = [];
    let healthRun: CannonResult | undefined;
    let keyRun: CannonResult | undefined;
    // Short timed rounds, each keyed round between two health rounds (health, key, health), so that
    // its baseline is taken on both sides of it: a drift or a noisy moment on a shared machine weighs
    // on both alike. The two health rounds against each other show how far noise alone moves a ratio.
    // (A run of a fixed amount ends on autocannon's next one-second tick, so its rate is low.)
    for (let index = 0; index < ROUNDS; index++) {
      const before = await timedRound(health, pid);
      const keyRound = await timedRound(keyed(key.token), pid);
      const after = await timedRound(health, pid);
      if (keyRound.result.non2xx > 0 || keyRound.result.errors > 0) {
        throw new Error("users/me failed under load");
      }
      healthRun = after.result;
      keyRun = keyRound.result;
      rounds.push({
        health: rps(before.result),
        key: rps(keyRound.result),
        healthAfter: rps(after.result),
        healthCpu: before.cpuPerRequest,
        keyCpu: keyRound.cpuPerRequest,
        healthAfterCpu: after.cpuPerRequest,
      });
    }
    const exact = await autocannon({ ...keyed(countedKey.token), amount: EXACT_REQUESTS });
    await stopServer(server);
    return {
      rounds,
      healthLatency: healthRun!.latency,
      keyLatency: keyRun!.latency,
      sent: exact["2xx"],
      counted: countedRequests(file, countedKey.id),
    };
  } finally {
    await stopServer(server);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first and third quartiles. */
function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return [at(0.25), at(0.75)];
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const apiAuthSuite: BenchSuite = {
  name: "api-auth",
  async run() {
    const figures = [];
    for (const accounting of ["on", "off"] as const) {
      const run = await measure(accounting);
      // The keyed round against the mean of the health rounds on either side of it.
      const baseline = (r: Round) => (r.health + r.healthAfter) / 2;
      const overheads = run.rounds.map((r) => 1 - r.key / baseline(r));
      const noise = run.rounds.map((r) => 1 - r.healthAfter / r.health);
      const label = `usage accounting ${accounting}`;
      const spread = (values: number[]) =>
        `quartiles ${quartiles(values)
          .map((q) => round(q * 100))
          .join(" – ")} %`;
      figures.push(
        {
          name: `health rps, median of ${run.rounds.length} rounds (${label})`,
          value: round(median(run.rounds.map(baseline))),
          unit: "req/s",
        },
        {
          name: `health p50/p99, last round (${label})`,
          value: run.healthLatency.p50,
          unit: `ms p50; p99 ${run.healthLatency.p99}`,
        },
        {
          name: `users/me rps, median of ${run.rounds.length} rounds (${label})`,
          value: round(median(run.rounds.map((r) => r.key))),
          unit: "req/s",
        },
        {
          name: `users/me p50/p99, last round (${label})`,
          value: run.keyLatency.p50,
          unit: `ms p50; p99 ${run.keyLatency.p99}`,
        },
        {
          name: `auth overhead, median of 1 − rps(users/me)/rps(health on both sides) (${label})`,
          value: round(median(overheads) * 100),
          unit: `% (${spread(overheads)})`,
          target: accounting === "on" ? "≤ 10%" : undefined,
        },
        {
          name: `noise floor, median of 1 − rps(health after)/rps(health before) (${label})`,
          value: round(median(noise) * 100),
          unit: `% (${spread(noise)})`,
        },
      );
      const cpuOverheads = run.rounds.flatMap((r) =>
        r.healthCpu && r.keyCpu && r.healthAfterCpu
          ? [1 - (r.healthCpu + r.healthAfterCpu) / 2 / r.keyCpu]
          : [],
      );
      if (cpuOverheads.length > 0) {
        figures.push({
          name: `server CPU per request, health / users/me, medians (${label})`,
          value: round(
            median(run.rounds.map((r) => ((r.healthCpu ?? 0) + (r.healthAfterCpu ?? 0)) / 2)),
          ),
          unit: `µs / ${round(median(run.rounds.map((r) => r.keyCpu ?? 0)))} µs; overhead ${round(median(cpuOverheads) * 100)} %`,
        });
      }
      if (accounting === "on") {
        figures.push(
          { name: "key requests sent (2xx)", value: run.sent, unit: "requests" },
          {
            name: "key requests counted after flush",
            value: run.counted,
            unit: "requests",
            target: `= ${run.sent}`,
          },
        );
        if (run.counted !== run.sent) {
          console.error(`usage mismatch: sent ${run.sent}, counted ${run.counted}`);
        }
      }
    }
    return figures;
  },
};
