// A load run: 200 connections for 60 s of mixed console and REST traffic on loopback, after a
// warm-up: key reads, key lists, renames (each one a write and an audit event), refused tokens,
// profile and administration pages, and health checks. Counts every answer by status (the target
// is no 5xx at all) and compares the server's resident memory over the first and the last 10 s.
import http from "node:http";
import { createPrismaClient } from "@/lib/db/client";
import { benchDatabase, dropBenchDatabase, insertBenchKey } from "./database";
import {
  autocannon,
  median,
  residentMemory,
  round,
  signInCookie,
  startKeyward,
  type CannonOptions,
  type CannonResult,
} from "./load";
import type { BenchSuite } from "./suites";

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 60);
// Long enough for the server's heap to reach its working size (its budget, KEYWARD_HEAP_MB), so
// that the memory compared over the run is the steady one, not the heap still growing into it.
const WARM_UP_SECONDS = 30;
const WINDOW_SECONDS = 10;
const PASSWORD = process.env.DEMO_PASSWORD || "keyward-demo";

interface Traffic {
  label: string;
  connections: number;
  options: Omit<CannonOptions, "url" | "connections"> & { path: string };
}

function traffic(
  dev: { id: string; token: string },
  admin: string,
  devCookie: string,
  adminCookie: string,
): Traffic[] {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return [
    {
      label: "GET users/me (key)",
      connections: 60,
      options: { path: "/api/v1/users/me", headers: bearer(dev.token) },
    },
    {
      label: "GET api-keys (key)",
      connections: 30,
      options: { path: "/api/v1/api-keys?limit=20", headers: bearer(admin) },
    },
    {
      label: "PATCH api-keys/{id} (key)",
      connections: 15,
      options: {
        path: `/api/v1/api-keys/${dev.id}`,
        method: "PATCH",
        headers: { ...bearer(dev.token), "content-type": "application/json" },
        body: JSON.stringify([{ op: "replace", path: "/description", value: "Load run" }]),
      },
    },
    {
      label: "GET users/me (refused token)",
      connections: 15,
      options: { path: "/api/v1/users/me", headers: bearer("kw_not-a-real-token") },
    },
    {
      label: "GET /profile/api-keys (session)",
      connections: 30,
      options: { path: "/profile/api-keys", headers: { cookie: devCookie } },
    },
    {
      label: "GET /admin/api-keys (session)",
      connections: 25,
      options: { path: "/admin/api-keys?search=load", headers: { cookie: adminCookie } },
    },
    {
      label: "GET /admin/events (session)",
      connections: 15,
      options: { path: "/admin/events", headers: { cookie: adminCookie } },
    },
    { label: "GET /api/health", connections: 10, options: { path: "/api/health" } },
  ];
}

/**
 * One request on a connection of its own, as a new client makes it: its time to answer in ms, or
 * null when none came within 10 s (autocannon's own timeout).
 */
function freshRequest(url: string, headers: Record<string, string>): Promise<number | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers, timeout: 10_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(performance.now() - started));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(null));
  });
}

function countOf(results: CannonResult[], test: (status: number) => boolean): number {
  let count = 0;
  for (const result of results) {
    for (const [status, { count: n }] of Object.entries(result.statusCodeStats ?? {})) {
      if (test(Number(status))) count += n;
    }
  }
  return count;
}

export const mixedLoadSuite: BenchSuite = {
  name: "mixed-load",
  async run() {
    const database = benchDatabase("mixed-load");
    await dropBenchDatabase(database);
    // Rate limits stay on as configured by default, apart from the per-key one: one key carries
    // most of the traffic here.
    const server = await startKeyward(database, {
      script: "start",
      env: { KEYWARD_RATE_LIMIT_PER_KEY: "1000000000" },
    });
    const prisma = createPrismaClient(database.url);
    try {
      const dev = await insertBenchKey(prisma, "Load run");
      const admin = await insertBenchKey(prisma, "Load run admin", "admin@acme.test");
      const devCookie = await signInCookie(server.base, "dev@acme.test", PASSWORD);
      const adminCookie = await signInCookie(server.base, "admin@acme.test", PASSWORD);
      const mix = traffic(dev, admin.token, devCookie, adminCookie);
      const fire = (duration: number) =>
        Promise.all(
          mix.map(({ connections, options: { path, ...options } }) =>
            autocannon({ url: `${server.base}${path}`, connections, duration, ...options }),
          ),
        );
      await fire(WARM_UP_SECONDS);

      const memory: number[] = [];
      const pid = server.process.pid;
      const sampler = setInterval(() => {
        const rss = residentMemory(pid);
        if (rss !== undefined) memory.push(rss);
      }, 1000);
      // Once a second, a client that was not there before: under load a server can keep its
      // connected clients busy and never get round to accepting a new one.
      const fresh: Promise<number | null>[] = [];
      const newcomer = setInterval(() => {
        fresh.push(
          freshRequest(`${server.base}/api/v1/users/me`, { authorization: `Bearer ${dev.token}` }),
        );
      }, 1000);
      let results: CannonResult[];
      try {
        results = await fire(SECONDS);
      } finally {
        clearInterval(sampler);
        clearInterval(newcomer);
      }
      const freshTimes = await Promise.all(fresh);
      const answered = freshTimes.filter((time): time is number => time !== null);
      const total = results.reduce((sum, result) => sum + result.requests.total, 0);
      const serverErrors = countOf(results, (status) => status >= 500);
      const failures = results.reduce((sum, result) => sum + result.errors + result.timeouts, 0);
      const first = median(memory.slice(0, WINDOW_SECONDS));
      const last = median(memory.slice(-WINDOW_SECONDS));
      const growth = first ? last / first : NaN;
      const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);
      return [
        {
          name: `5xx answers in ${SECONDS} s at 200 connections (${total} requests)`,
          value: serverErrors,
          unit: "responses",
          target: "0",
          gate: true,
          met: serverErrors === 0,
        },
        {
          name: "connection errors and timeouts",
          value: failures,
          unit: "requests",
          target: "0",
          gate: true,
          met: failures === 0,
        },
        {
          name: "new clients answered within 10 s (one a second), median time",
          value: answered.length,
          unit: `of ${freshTimes.length}; ${round(median(answered), 0)} ms`,
          target: `${freshTimes.length}`,
          gate: true,
          met: answered.length === freshTimes.length,
        },
        ...mix.map((part, i) => ({
          name: `${part.label}: requests/s; answers 2xx / 4xx; errors; latency p50 / p99 / max`,
          value: round(results[i].requests.total / SECONDS, 0),
          unit: `req/s; ${countOf([results[i]], (s) => s < 300)} / ${countOf([results[i]], (s) => s >= 400 && s < 500)}; ${results[i].errors + results[i].timeouts}; ${results[i].latency.p50} / ${results[i].latency.p99} / ${results[i].latency.max} ms`,
        })),
        {
          name: "server memory, median of the first / the last 10 s",
          value: mb(first),
          unit: `MB / ${mb(last)} MB`,
        },
        {
          name: "server memory growth, last 10 s against the first",
          value: round(growth, 2),
          unit: "×",
          target: "≤ 1.25",
          gate: true,
          met: growth <= 1.25,
        },
      ];
    } finally {
      await prisma.$disconnect();
      await server.stop();
    }
  },
};
