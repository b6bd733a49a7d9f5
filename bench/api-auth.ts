// Auth overhead of the REST API: a Bearer-key call against the health baseline on the same server,
// on the engine DATABASE_URL names. Gate: the CPU the key check adds per request (accounting on).
import { createPrismaClient } from "@/lib/db/client";
import type { Engine } from "@/lib/db/url";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { benchDatabase, benchEngine, dropBenchDatabase, insertBenchKey } from "./database";
import {
  autocannon,
  cpuMeter,
  median,
  postmasterPid,
  quartiles,
  round,
  rps,
  startKeyward,
  type CannonOptions,
  type CannonResult,
} from "./load";
import type { BenchFigure } from "./run";
import type { BenchSuite } from "./suites";

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS || 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 20);
const EXACT_REQUESTS = 10_000;

/**
 * The gate: the most server CPU per request that the key check (lookup, rate-limit lease, usage
 * count, the users/me body) may add to health's, as 1 − cpu(health)/cpu(users/me), median of the
 * rounds with usage accounting on. Medians measured on a shared 2-core machine: SQLite 6 – 16 %,
 * PostgreSQL −35 – −15 % (there health pays a pool round trip per request while the key check
 * serves kept rows). Each limit sits about 25 points above its engine's highest median, so that
 * either trips once the keyed request's CPU grows by about 45 % (≈ 0.6–0.8 ms here): an ORM
 * round trip per request (≈ 0.6 ms) on the key path, say.
 */
const CPU_OVERHEAD_GATE: Record<Engine, number> = { sqlite: 40, postgres: 10 };

async function countedRequests(prisma: PrismaClient, apiKeyId: string): Promise<number> {
  const usage = await prisma.apiKeyUsage.aggregate({
    where: { apiKeyId },
    _sum: { requests: true },
  });
  return usage._sum.requests ?? 0;
}

/** CPU time (µs) per request of one round, where /proc is there to read it. */
interface Cpu {
  server?: number;
  database?: number;
}

/** One keyed round between two health rounds. */
interface Round {
  /** Requests per second of the baseline before and after the keyed call, and of the keyed call. */
  health: number;
  key: number;
  healthAfter: number;
  healthCpu: Cpu;
  keyCpu: Cpu;
  healthAfterCpu: Cpu;
}

interface Run {
  rounds: Round[];
  healthLatency: CannonResult["latency"];
  keyLatency: CannonResult["latency"];
  sent: number;
  counted: number;
}

type Meter = () => number | undefined;

const perRequest = (before: number | undefined, after: number | undefined, requests: number) =>
  before === undefined || after === undefined ? undefined : (after - before) / requests;

async function timedRound(
  options: CannonOptions,
  meters: { server: Meter; database: Meter },
): Promise<{ result: CannonResult; cpu: Cpu }> {
  const server = meters.server();
  const database = meters.database();
  const result = await autocannon({ ...options, duration: SECONDS });
  const requests = result.requests.total;
  return {
    result,
    cpu: {
      server: perRequest(server, meters.server(), requests),
      database: perRequest(database, meters.database(), requests),
    },
  };
}

async function measure(accounting: "on" | "off"): Promise<Run> {
  const database = benchDatabase(`api-auth-${accounting}`);
  await dropBenchDatabase(database);
  const server = await startKeyward(database, {
    script: "start",
    env: {
      KEYWARD_USAGE_ACCOUNTING: accounting,
      // The limiter still runs on every request (its cost is measured) but never refuses here.
      KEYWARD_RATE_LIMIT_PER_KEY: "1000000000",
    },
  });
  const prisma = createPrismaClient(database.url);
  try {
    const meters = {
      server: server.cpu,
      // A PostgreSQL cluster's CPU is part of the cost; SQLite's work is in the server's process.
      database:
        database.engine === "postgres"
          ? cpuMeter(await postmasterPid(database.url), true)
          : () => undefined,
    };
    const key = await insertBenchKey(prisma, "bench");
    // A second key only for the exactness check, whose every request is answered and counted.
    const countedKey = await insertBenchKey(prisma, "bench");
    const health = { url: `${server.base}/api/health`, connections: CONNECTIONS };
    const keyed = (token: string) => ({
      url: `${server.base}/api/v1/users/me`,
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
      const before = await timedRound(health, meters);
      const keyRound = await timedRound(keyed(key.token), meters);
      const after = await timedRound(health, meters);
      if (keyRound.result.non2xx > 0 || keyRound.result.errors > 0) {
        throw new Error("users/me failed under load");
      }
      healthRun = after.result;
      keyRun = keyRound.result;
      rounds.push({
        health: rps(before.result),
        key: rps(keyRound.result),
        healthAfter: rps(after.result),
        healthCpu: before.cpu,
        keyCpu: keyRound.cpu,
        healthAfterCpu: after.cpu,
      });
    }
    const exact = await autocannon({ ...keyed(countedKey.token), amount: EXACT_REQUESTS });
    // Stopping the server writes its last counts.
    await server.stop();
    return {
      rounds,
      healthLatency: healthRun!.latency,
      keyLatency: keyRun!.latency,
      sent: exact["2xx"],
      counted: await countedRequests(prisma, countedKey.id),
    };
  } finally {
    await server.stop();
    await prisma.$disconnect();
  }
}

type Figure = Omit<BenchFigure, "suite" | "engine">;

const percent = (values: number[]) =>
  `% (quartiles ${quartiles(values)
    .map((q) => round(q * 100))
    .join(" – ")} %)`;

/** Server (and database) CPU per request, health against users/me, and the share the check adds. */
function cpuFigures(run: Run, label: string, gate: number | undefined): Figure[] {
  const figures: Figure[] = [];
  for (const side of ["server", "database"] as const) {
    const measured = run.rounds.filter(
      (r) => r.healthCpu[side] && r.keyCpu[side] && r.healthAfterCpu[side],
    );
    if (measured.length === 0) continue;
    const healthCpu = (r: Round) => (r.healthCpu[side]! + r.healthAfterCpu[side]!) / 2;
    const overheads = measured.map((r) => 1 - healthCpu(r) / r.keyCpu[side]!);
    const who = side === "server" ? "server" : "PostgreSQL cluster";
    figures.push(
      {
        name: `${who} CPU per request, health, median (${label})`,
        value: round(median(measured.map(healthCpu))),
        unit: "µs",
      },
      {
        name: `${who} CPU per request, users/me, median (${label})`,
        value: round(median(measured.map((r) => r.keyCpu[side]!))),
        unit: "µs",
      },
    );
    const overhead = round(median(overheads) * 100);
    figures.push({
      name: `${who} CPU overhead, median of 1 − cpu(health)/cpu(users/me) (${label})`,
      value: overhead,
      unit: percent(overheads),
      ...(gate !== undefined && side === "server"
        ? { target: `≤ ${gate}%`, gate: true, met: overhead <= gate }
        : {}),
    });
  }
  if (gate !== undefined && figures.length === 0) {
    console.warn("  no /proc to read CPU time from: the CPU gate cannot be checked here");
  }
  return figures;
}

function runFigures(run: Run, accounting: "on" | "off", engine: Engine): Figure[] {
  // The keyed round against the mean of the health rounds on either side of it.
  const baseline = (r: Round) => (r.health + r.healthAfter) / 2;
  const overheads = run.rounds.map((r) => 1 - r.key / baseline(r));
  const noise = run.rounds.map((r) => 1 - r.healthAfter / r.health);
  const label = `usage accounting ${accounting}`;
  const figures: Figure[] = [
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
      unit: percent(overheads),
      ...(accounting === "on" ? { target: "≤ 10%", met: median(overheads) <= 0.1 } : {}),
    },
    {
      name: `noise floor, median of 1 − rps(health after)/rps(health before) (${label})`,
      value: round(median(noise) * 100),
      unit: percent(noise),
    },
    ...cpuFigures(run, label, accounting === "on" ? CPU_OVERHEAD_GATE[engine] : undefined),
  ];
  if (accounting === "on") {
    figures.push(
      { name: "key requests sent (2xx)", value: run.sent, unit: "requests" },
      {
        name: "key requests counted after flush",
        value: run.counted,
        unit: "requests",
        target: `= ${run.sent}`,
        gate: true,
        met: run.counted === run.sent,
      },
    );
  }
  return figures;
}

export const apiAuthSuite: BenchSuite = {
  name: "api-auth",
  async run() {
    const figures: Figure[] = [];
    for (const accounting of ["on", "off"] as const) {
      figures.push(...runFigures(await measure(accounting), accounting, benchEngine()));
    }
    return figures;
  },
};
