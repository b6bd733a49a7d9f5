// How a revocation reaches another instance: a key is revoked through instance A's REST API, and
// the very next request with it goes to instance B, whose kept copy of the key is fresh from a
// request just before. Counts the answers B gave after A's 204 that were not 401 (the target is
// none), and times B's refusal against its answer to the same key a moment earlier.
import { createPrismaClient } from "@/lib/db/client";
import { benchDatabase, dropBenchDatabase, insertBenchKey } from "./database";
import { median, round, startKeyward } from "./load";
import type { BenchSuite } from "./suites";

const TRIALS = Number(process.env.BENCH_REVOCATION_TRIALS || 200);

async function timed(url: string, init: RequestInit): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { status: response.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

export const revocationSuite: BenchSuite = {
  name: "revocation",
  async run() {
    const database = benchDatabase("revocation");
    await dropBenchDatabase(database);
    // Each trial calls from an address of its own (the bench poses as a proxy on loopback): every
    // refusal counts against its address, and 30 a minute from one would hold back the next trial.
    const env = { KEYWARD_RATE_LIMIT_PER_KEY: "1000000000", KEYWARD_TRUSTED_PROXIES: "loopback" };
    const a = await startKeyward(database, { script: "start", env });
    const prisma = createPrismaClient(database.url);
    try {
      const b = await startKeyward(database, { script: "server", env });
      try {
        const admin = await insertBenchKey(prisma, "bench revocation", "admin@acme.test");
        const adminAuth = { authorization: `Bearer ${admin.token}` };
        let stale = 0;
        const before: number[] = [];
        const after: number[] = [];
        for (let trial = 0; trial < TRIALS; trial++) {
          const key = await insertBenchKey(prisma, "bench revocation");
          const auth = {
            authorization: `Bearer ${key.token}`,
            "x-forwarded-for": `10.77.${trial >> 8}.${trial & 255}`,
          };
          const warm = await timed(`${b.base}/api/v1/users/me`, { headers: auth });
          if (warm.status !== 200) throw new Error(`B answered ${warm.status} before the revoke`);
          before.push(warm.ms);
          const revoke = await fetch(`${a.base}/api/v1/api-keys/${key.id}`, {
            method: "DELETE",
            headers: adminAuth,
          });
          if (revoke.status !== 204) throw new Error(`A answered ${revoke.status} to the revoke`);
          const next = await timed(`${b.base}/api/v1/users/me`, { headers: auth });
          if (next.status !== 401) stale += 1;
          after.push(next.ms);
        }
        return [
          {
            name: `answers from B after A's revoke that were not 401 (${TRIALS} trials)`,
            value: stale,
            unit: "requests",
            target: "0",
            gate: true,
            met: stale === 0,
          },
          {
            name: "B's answer to a kept key just before / its refusal just after, medians",
            value: round(median(before), 2),
            unit: `ms / ${round(median(after), 2)} ms`,
          },
        ];
      } finally {
        await b.stop();
      }
    } finally {
      await prisma.$disconnect();
      await a.stop();
    }
  },
};
