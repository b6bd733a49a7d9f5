// Requests per second of users/me with one Keyward instance against two on the same database, the
// same load (connections) either way: all on one port, or split evenly over two.
import { createPrismaClient } from "@/lib/db/client";
import { benchDatabase, dropBenchDatabase, insertBenchKey } from "./database";
import {
  autocannon,
  cpuMeter,
  median,
  postmasterPid,
  quartiles,
  round,
  rps,
  startKeyward,
  type CannonResult,
  type RunningServer,
} from "./load";
import type { BenchSuite } from "./suites";

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_INSTANCE_SECONDS || 5);
const ROUNDS = Number(process.env.BENCH_INSTANCE_ROUNDS || 6);
/** Requests of the exactness check, on each instance. */
const EXACT_REQUESTS = 5000;

const ENV = {
  // The limiter runs on every request but never refuses here.
  KEYWARD_RATE_LIMIT_PER_KEY: "1000000000",
};

/** users/me with `token` on every server at once, the connections split evenly between them. */
async function load(
  servers: RunningServer[],
  token: string,
  run: { duration?: number; amount?: number },
): Promise<CannonResult[]> {
  const results = await Promise.all(
    servers.map((server) =>
      autocannon({
        url: `${server.base}/api/v1/users/me`,
        connections: CONNECTIONS / servers.length,
        headers: { authorization: `Bearer ${token}` },
        ...run,
      }),
    ),
  );
  if (results.some((result) => result.non2xx > 0 || result.errors > 0)) {
    throw new Error(`users/me failed under load on ${servers.length} instance(s)`);
  }
  return results;
}

interface Round {
  rps: number;
  /** CPU µs per request of the serving instances together, and of a local PostgreSQL cluster. */
  serverCpu?: number;
  databaseCpu?: number;
}

type Meter = () => number | undefined;

async function timedRound(
  servers: RunningServer[],
  token: string,
  database: Meter,
): Promise<Round> {
  const meters = [...servers.map((server) => server.cpu), database];
  const before = meters.map((meter) => meter());
  const results = await load(servers, token, { duration: SECONDS });
  const after = meters.map((meter) => meter());
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0);
  const used = (from: number, to: number) => {
    const spans = before.slice(from, to).map((b, i) => {
      const a = after[from + i];
      return a === undefined || b === undefined ? undefined : a - b;
    });
    return spans.some((span) => span === undefined)
      ? undefined
      : (spans as number[]).reduce((sum, span) => sum + span, 0) / requests;
  };
  return {
    rps: results.reduce((sum, result) => sum + rps(result), 0),
    serverCpu: used(0, servers.length),
    databaseCpu: used(servers.length, servers.length + 1),
  };
}

export const instancesSuite: BenchSuite = {
  name: "instances",
  async run() {
    const database = benchDatabase("instances");
    await dropBenchDatabase(database);
    // The first through start.mjs (build when needed, migrate, seed), the second on what it made.
    const first = await startKeyward(database, { script: "start", env: ENV });
    const servers = [first];
    const prisma = createPrismaClient(database.url);
    try {
      servers.push(await startKeyward(database, { script: "server", env: ENV }));
      const databaseCpu: Meter =
        database.engine === "postgres"
          ? cpuMeter(await postmasterPid(database.url), true)
          : () => undefined;
      const key = await insertBenchKey(prisma, "bench instances");
      const countedKey = await insertBenchKey(prisma, "bench instances");
      await load(servers, key.token, { duration: 3 });
      const one: Round[] = [];
      const two: Round[] = [];
      // Alternating which goes first, so that a drift of the machine weighs on both alike.
      for (let index = 0; index < ROUNDS; index++) {
        const order = index % 2 === 0 ? [1, 2] : [2, 1];
        for (const count of order) {
          const round = await timedRound(servers.slice(0, count), key.token, databaseCpu);
          (count === 1 ? one : two).push(round);
        }
      }
      // Both instances count the same key at once; their flushes must add up, not overwrite.
      const exact = await load(servers, countedKey.token, { amount: EXACT_REQUESTS });
      await Promise.all(servers.map((server) => server.stop()));
      const sent = exact.reduce((sum, result) => sum + result["2xx"], 0);
      const usage = await prisma.apiKeyUsage.aggregate({
        where: { apiKeyId: countedKey.id },
        _sum: { requests: true },
      });
      const counted = usage._sum.requests ?? 0;
      const ratios = one.map((r, i) => two[i].rps / r.rps);
      const figures = [
        {
          name: `users/me rps, 1 instance, median of ${ROUNDS} rounds of ${SECONDS} s`,
          value: round(median(one.map((r) => r.rps))),
          unit: "req/s",
        },
        {
          name: `users/me rps, 2 instances (connections split evenly), median of ${ROUNDS} rounds`,
          value: round(median(two.map((r) => r.rps))),
          unit: "req/s",
        },
        {
          name: "2 instances against 1, median of rps(2)/rps(1) per round",
          value: round(median(ratios), 2),
          unit: `× (quartiles ${quartiles(ratios)
            .map((q) => round(q, 2))
            .join(" – ")})`,
        },
      ];
      for (const [label, rounds] of [
        ["1 instance", one],
        ["2 instances", two],
      ] as const) {
        const server = rounds.flatMap((r) => (r.serverCpu ? [r.serverCpu] : []));
        const cluster = rounds.flatMap((r) => (r.databaseCpu ? [r.databaseCpu] : []));
        if (server.length > 0) {
          figures.push({
            name: `server CPU per request, median (${label})`,
            value: round(median(server)),
            unit: "µs",
          });
        }
        if (cluster.length > 0) {
          figures.push({
            name: `PostgreSQL cluster CPU per request, median (${label})`,
            value: round(median(cluster)),
            unit: "µs",
          });
        }
      }
      return [
        ...figures,
        {
          name: `key requests counted after flush, ${EXACT_REQUESTS} sent to each instance at once`,
          value: counted,
          unit: "requests",
          target: `= ${sent}`,
          gate: true,
          met: counted === sent,
        },
      ];
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await prisma.$disconnect();
    }
  },
};
