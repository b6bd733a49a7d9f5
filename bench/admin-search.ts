// The administration key search at a million keys: the domain function alone, then the whole
// /admin/api-keys page from Keyward's server, against /api/health measured in the same run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { stopServer, waitForHealth } from "@/scripts/server-process";
import type { BenchSuite } from "./suites";

const ROOT = path.resolve(__dirname, "..");
const DB_FILE = path.join(ROOT, "data", "bench-large.db");
const KEYS = 1_000_000;
const PORT = Number(process.env.BENCH_ADMIN_PORT || 3190);
const RUNS = 60;
const PASSWORD = process.env.DEMO_PASSWORD || "keyward-demo";

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2),
  );
}

function ensureDatabase() {
  const result = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [
      "--conditions=react-server",
      "scripts/seed-large.ts",
      "--keys",
      String(KEYS),
      "--database",
      DB_FILE,
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (result.status !== 0) throw new Error("seed:large failed");
}

interface Terms {
  tenantId: string;
  adminId: string;
  keyIds: string[];
  names: string[];
  emails: string[];
}

function sampleTerms(): Terms {
  const db = new Database(DB_FILE, { readonly: true });
  const tenant = db.prepare(`SELECT id FROM Tenant WHERE slug = 'large'`).get() as { id: string };
  const admin = db.prepare(`SELECT id FROM User WHERE email = 'admin@large.test'`).get() as {
    id: string;
  };
  const sample = (sql: string) => db.prepare(sql).pluck().all(tenant.id) as string[];
  const keyIds = sample(
    `SELECT id FROM ApiKey WHERE tenantId = ? AND rowid % 9973 = 7 LIMIT ${RUNS}`,
  );
  // "#1234" style fragments of names: each picks a handful of keys out of a million.
  const names = sample(
    `SELECT description FROM ApiKey WHERE tenantId = ? AND rowid % 7919 = 3 LIMIT ${RUNS}`,
  ).map((description) => description.split(" ").slice(-2).join(" ").slice(0, 12));
  const emails = sample(
    `SELECT email FROM User WHERE tenantId = ? AND email <> 'admin@large.test' AND rowid % 61 = 5 LIMIT ${RUNS}`,
  );
  db.close();
  return { tenantId: tenant.id, adminId: admin.id, keyIds, names, emails };
}

async function timeEach(terms: string[], run: (term: string) => Promise<unknown>) {
  for (const term of terms.slice(0, 5)) await run(term);
  const samples: number[] = [];
  for (const term of terms) {
    const started = performance.now();
    await run(term);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function measureDomain(terms: Terms) {
  process.env.DATABASE_URL = `file:${DB_FILE}`;
  const { searchTenantApiKeys } = await import("@/lib/api-keys/admin-search");
  const principal = {
    userId: terms.adminId,
    tenantId: terms.tenantId,
    roles: ["TenantAdmin" as const, "Developer" as const],
    via: "session" as const,
  };
  const figures = [];
  for (const [label, list] of [
    ["exact key ID", terms.keyIds],
    ["name substring", terms.names],
    ["owner email", terms.emails],
  ] as const) {
    const samples = await timeEach([...list], (search) =>
      searchTenantApiKeys(principal, { search }),
    );
    figures.push(
      { name: `searchTenantApiKeys ${label} p50`, value: percentile(samples, 50), unit: "ms" },
      {
        name: `searchTenantApiKeys ${label} p95`,
        value: percentile(samples, 95),
        unit: "ms",
        target: "≤ 50 ms",
      },
    );
  }
  return figures;
}

/** Keyward's server on the large database (already migrated and seeded: no `npm start` steps). */
async function startServer(): Promise<ChildProcess> {
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
      PORT: String(PORT),
      DATABASE_URL: `file:${DB_FILE}`,
      AUTH_SECRET: process.env.AUTH_SECRET || "keyward-bench-secret",
      AUTH_TRUST_HOST: "true",
    },
  });
  try {
    await waitForHealth(`http://127.0.0.1:${PORT}`, server, 60);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

/** Signs in through Auth.js's credentials endpoint and returns the session cookie. */
async function signIn(): Promise<string> {
  const base = `http://127.0.0.1:${PORT}`;
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email: "admin@large.test", password: PASSWORD }),
  });
  const all = [
    ...cookies,
    ...response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]),
  ];
  const session = all.filter((cookie) => cookie.includes("session-token"));
  if (session.length === 0) throw new Error("signing in as admin@large.test failed");
  return all.join("; ");
}

async function measurePage(terms: Terms) {
  const server = await startServer();
  try {
    const cookie = await signIn();
    const base = `http://127.0.0.1:${PORT}`;
    const mixed = terms.keyIds
      .flatMap((id, i) => [id, terms.names[i], terms.emails[i]])
      .filter(Boolean);
    const page = await timeEach(mixed.slice(0, RUNS), async (search) => {
      const response = await fetch(`${base}/admin/api-keys?search=${encodeURIComponent(search)}`, {
        headers: { cookie },
      });
      const html = await response.text();
      if (response.status !== 200 || !html.includes("API keys of the tenant")) {
        throw new Error(`/admin/api-keys answered ${response.status}`);
      }
    });
    const health = await timeEach(
      Array.from({ length: RUNS }, (_, i) => String(i)),
      async () => (await fetch(`${base}/api/health`)).text(),
    );
    const pageP95 = percentile(page, 95);
    const healthP95 = percentile(health, 95);
    return [
      { name: "/admin/api-keys?search= p50", value: percentile(page, 50), unit: "ms" },
      { name: "/admin/api-keys?search= p95", value: pageP95, unit: "ms", target: "≤ 300 ms" },
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
    ensureDatabase();
    const terms = sampleTerms();
    return [...(await measureDomain(terms)), ...(await measurePage(terms))];
  },
};
