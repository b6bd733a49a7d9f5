// The administration key search at a million keys, on SQLite (data/bench-large.db) or on the
// PostgreSQL database DATABASE_URL names: the domain function alone for each class of term a person
// types, then the whole /admin/api-keys page from Keyward's server, against /api/health.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { AdminKeyQuery } from "@/lib/api-keys/admin-search";
import { LARGE_ADMIN_EMAIL, LARGE_TENANT_SLUG } from "@/scripts/seed-large";
import { freePort, stopServer, waitForHealth } from "@/scripts/server-process";
import { signInCookie } from "./load";
import type { BenchSuite } from "./suites";

const ROOT = path.resolve(__dirname, "..");
const KEYS = 1_000_000;
const RUNS = Number(process.env.BENCH_ADMIN_RUNS) || 60;
const PASSWORD = process.env.DEMO_PASSWORD || "keyward-demo";

/** PostgreSQL when DATABASE_URL names it, else SQLite's large bench file. */
function benchDatabaseUrl(): string {
  const url = process.env.DATABASE_URL ?? "";
  if (/^postgres(ql)?:\/\//.test(url)) return url;
  return `file:${path.join(ROOT, "data", "bench-large.db")}`;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2),
  );
}

function ensureDatabase(url: string) {
  const result = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [
      "--conditions=react-server",
      "scripts/seed-large.ts",
      "--keys",
      String(KEYS),
      "--database",
      url,
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (result.status !== 0) throw new Error("seed:large failed");
}

interface Sample {
  tenantId: string;
  adminId: string;
  keyIds: string[];
  names: string[];
  emails: string[];
}

/** Spread-out keys and owners of the large tenant, through the primary keys (random hex IDs). */
async function sampleData(): Promise<Sample> {
  const { db } = await import("@/lib/db");
  const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: LARGE_TENANT_SLUG } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: LARGE_ADMIN_EMAIL } });
  const keys = [];
  const users = [];
  for (let i = 0; i < RUNS; i++) {
    // Evenly spaced starting points over the ID space, so every run draws the same sample.
    const from = Math.floor((i / RUNS) * 0xffffff)
      .toString(16)
      .padStart(6, "0");
    const key = await db.apiKey.findFirst({
      where: { tenantId: tenant.id, id: { gte: from } },
      orderBy: { id: "asc" },
      select: { id: true, description: true },
    });
    const user = await db.user.findFirst({
      where: { tenantId: tenant.id, id: { gte: from }, NOT: { id: admin.id } },
      orderBy: { id: "asc" },
      select: { email: true },
    });
    if (key) keys.push(key);
    if (user) users.push(user);
  }
  return {
    tenantId: tenant.id,
    adminId: admin.id,
    keyIds: keys.map((key) => key.id),
    // "#1234"-style fragments of names: each picks a handful of keys out of a million.
    names: keys.map((key) => key.description.split(" ").slice(-2).join(" ").slice(0, 12)),
    emails: users.map((user) => user.email),
  };
}

const cycle = <T>(list: readonly T[], n = RUNS): T[] =>
  Array.from({ length: n }, (_, i) => list[i % list.length]);

const ONE_CHARACTER = "aeioustrnlcdmbgkhp0123456789f#.-".split("");
const TWO_CHARACTERS = ["ad", "al", "gr", "li", "ke", "ba", "jo", "an", "er", "re", "st", "on"];
const TWO_CHARACTERS_HEX = ["3f", "a0", "be", "c7", "de", "ed", "09", "41"];
// Owner terms that match most (or a large share) of the tenant's owners, hence of its keys.
const BROAD_OWNER = ["large.test", "@large", "large", ".test", "hopper", "grace", "turing", "ada"];
const BROAD_NAME = ["billing", "reporting", "nightly sync", "prod", "export job", "staging"];
const STATUSES = ["active", "expired", "revoked"] as const;
const SORTS = ["created", "name", "-name", "owner", "-owner", "expires", "lastUsed", "-lastUsed"];

/** What people type, by class, each class RUNS queries (or fewer where the class is small). */
function termClasses(sample: Sample): [string, AdminKeyQuery[]][] {
  const search = (terms: string[]) => terms.map((term) => ({ search: term }));
  const mixedTerms = [
    ...ONE_CHARACTER.slice(0, 6),
    ...TWO_CHARACTERS.slice(0, 4),
    ...BROAD_OWNER.slice(0, 4),
    ...BROAD_NAME.slice(0, 3),
    ...sample.names.slice(0, 4),
    ...sample.keyIds.slice(0, 3).map((id) => id.slice(0, 8)),
  ];
  return [
    ["no search", cycle([{}])],
    ["one character", search(cycle(ONE_CHARACTER))],
    ["two characters", search(cycle([...TWO_CHARACTERS, ...TWO_CHARACTERS_HEX]))],
    ["broad owner term", search(cycle(BROAD_OWNER))],
    ["broad name term", search(cycle(BROAD_NAME))],
    ["selective name", search(sample.names)],
    ["exact key ID", search(sample.keyIds)],
    ["key ID prefix", search(sample.keyIds.map((id, i) => id.slice(0, 4 + (i % 9))))],
    ["owner email", search(sample.emails)],
    ["owner email prefix", search(sample.emails.map((email) => email.split(".")[0] + "."))],
    [
      "status filter",
      cycle(mixedTerms).map((term, i) => ({ search: term, status: STATUSES[i % 3] })),
    ],
    ["status filter, no search", cycle(STATUSES).map((status) => ({ status }))],
    ...SORTS.map((sort): [string, AdminKeyQuery[]] => [
      `sort ${sort}`,
      cycle(mixedTerms).map((term, i) => ({
        search: term,
        sort,
        status: i % 4 === 3 ? "expired" : undefined,
      })),
    ]),
    [
      "sort status",
      cycle(mixedTerms).map((term, i) => ({ search: term, sort: i % 2 ? "status" : "-status" })),
    ],
  ];
}

async function timeEach<T>(inputs: T[], run: (input: T) => Promise<unknown>) {
  for (const input of inputs.slice(0, 5)) await run(input);
  const samples: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await run(input);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function measureDomain(sample: Sample) {
  const { searchTenantApiKeys } = await import("@/lib/api-keys/admin-search");
  const principal = {
    userId: sample.adminId,
    tenantId: sample.tenantId,
    roles: ["TenantAdmin" as const, "Developer" as const],
    via: "session" as const,
  };
  // One untimed pass over every query first, so that the figures are of a database in memory, as
  // a running server's is: read from disk (after a reboot, or a CI run on the same machine), the
  // first pass was 3 to 8 times slower on both engines.
  const classes = termClasses(sample);
  for (const [, queries] of classes) {
    for (const query of queries) await searchTenantApiKeys(principal, query);
  }
  const figures = [];
  for (const [label, queries] of classes) {
    const samples = await timeEach(queries, (query) => searchTenantApiKeys(principal, query));
    figures.push(
      { name: `search ${label} p50`, value: percentile(samples, 50), unit: "ms" },
      {
        name: `search ${label} p95`,
        value: percentile(samples, 95),
        unit: "ms",
        target: "≤ 50 ms",
      },
    );
  }
  return figures;
}

/** Keyward's server on the large database (already migrated and seeded: no `npm start` steps). */
async function startServer(url: string, port: number): Promise<ChildProcess> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    const build = spawnSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "server.mjs")], {
    cwd: ROOT,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET || "keyward-bench-secret",
      AUTH_TRUST_HOST: "true",
    },
  });
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, server, 60);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

/** The whole page for a mix of every class above: one query of each class in turn. */
async function measurePage(url: string, sample: Sample) {
  const port = Number(process.env.BENCH_ADMIN_PORT) || (await freePort());
  const server = await startServer(url, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const cookie = await signInCookie(base, LARGE_ADMIN_EMAIL, PASSWORD);
    const classes = termClasses(sample).map(([, queries]) => queries);
    const mixed = Array.from({ length: RUNS * 2 }, (_, i) => {
      const queries = classes[i % classes.length];
      return queries[Math.floor(i / classes.length) % queries.length];
    });
    const page = await timeEach(mixed, async (query) => {
      const params = new URLSearchParams(
        Object.entries(query).filter((entry): entry is [string, string] => !!entry[1]),
      );
      const response = await fetch(`${base}/admin/api-keys?${params}`, { headers: { cookie } });
      const html = await response.text();
      if (response.status !== 200 || !html.includes("API keys of the tenant")) {
        throw new Error(`/admin/api-keys?${params} answered ${response.status}`);
      }
    });
    const health = await timeEach(
      Array.from({ length: RUNS }, (_, i) => i),
      async () => (await fetch(`${base}/api/health`)).text(),
    );
    const pageP95 = percentile(page, 95);
    const healthP95 = percentile(health, 95);
    return [
      { name: "/admin/api-keys (every class) p50", value: percentile(page, 50), unit: "ms" },
      {
        name: "/admin/api-keys (every class) p95",
        value: pageP95,
        unit: "ms",
        target: "≤ 300 ms",
      },
      { name: "/api/health p50 (baseline)", value: percentile(health, 50), unit: "ms" },
      { name: "/api/health p95 (baseline)", value: healthP95, unit: "ms" },
      {
        name: "page p95 / health p95",
        value: Number((pageP95 / healthP95).toFixed(1)),
        unit: "×",
      },
    ];
  } finally {
    await stopServer(server);
  }
}

export const adminSearchSuite: BenchSuite = {
  name: "admin-search",
  async run() {
    const url = benchDatabaseUrl();
    ensureDatabase(url);
    process.env.DATABASE_URL = url;
    const sample = await sampleData();
    const engine = url.startsWith("file:") ? "sqlite" : "postgres";
    const figures = [...(await measureDomain(sample))];
    if (process.env.BENCH_ADMIN_SKIP_PAGE !== "1")
      figures.push(...(await measurePage(url, sample)));
    return figures.map((figure) => ({ ...figure, name: `${engine}: ${figure.name}` }));
  },
};
