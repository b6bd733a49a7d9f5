// Benchmark: the audit log at 1,000,000 events. `npm run bench -- events`.
// Fills data/bench-events.db once (raw batched inserts, with a valid hash chain), then measures
// listAuditEvents in a child process bound to that database, against a prepared `SELECT 1`.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { GENESIS_HASH } from "../lib/audit/chain";
import { rawAuditEventWriter } from "../lib/db/raw-audit-event";
import { sqliteTime } from "../lib/db/sqlite/time";
import type { BenchSuite } from "./suites";
import { removeSqliteFiles } from "@/lib/db/sqlite-files.mjs";

const ROOT = path.resolve(__dirname, "..");
const FILE = path.join(ROOT, "data", "bench-events.db");
const EVENTS = 1_000_000;
const TENANT_ID = "b".repeat(24);
const USERS = 20;
const KEYS = 2000;
const BATCH = 20_000;
const ITERATIONS = 200;
const MEASURE_FLAG = "--measure-audit-events";

const TYPES: [string, number][] = [
  ["api-key.validation.failed", 0.6],
  ["api-key.created", 0.15],
  ["api-key.updated", 0.12],
  ["api-key.deleted", 0.08],
  ["api-key.revoked", 0.04],
  ["user.roles.updated", 0.006],
  ["user.disabled", 0.003],
  ["api-keys-config.updated", 0.001],
];

const hex = () => crypto.randomBytes(12).toString("hex");

function pickType(random: number): string {
  let sum = 0;
  for (const [type, share] of TYPES) {
    sum += share;
    if (random < sum) return type;
  }
  return TYPES[0][0];
}

function isFilled(): boolean {
  if (!fs.existsSync(FILE)) return false;
  const handle = new Database(FILE, { readonly: true });
  try {
    const row = handle
      .prepare(`SELECT MAX(seq) AS seq FROM AuditEvent WHERE tenantId = ?`)
      .get(TENANT_ID) as { seq: number | null };
    return row.seq === EVENTS;
  } catch {
    return false;
  } finally {
    handle.close();
  }
}

function fill(): void {
  removeSqliteFiles(FILE);
  execFileSync(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${FILE}` },
    stdio: "pipe",
  });
  const db = new Database(FILE);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = Date.now();
  db.prepare(
    `INSERT INTO Tenant (id, slug, name, apiKeysEnabled, updatedAt) VALUES (?, 'bench', 'Bench', 1, ?)`,
  ).run(TENANT_ID, sqliteTime(now));
  const userIds = Array.from({ length: USERS }, hex);
  const insertUser = db.prepare(
    `INSERT INTO User (id, tenantId, email, name, passwordHash, isTenantAdmin, isDeveloper, updatedAt)
     VALUES (?, ?, ?, ?, 'x', 1, 1, ?)`,
  );
  userIds.forEach((id, i) =>
    insertUser.run(id, TENANT_ID, `bench${i}@bench.test`, `Bench ${i}`, sqliteTime(now)),
  );
  const keyIds = Array.from({ length: KEYS }, hex);
  const writeEvent = rawAuditEventWriter(db);
  const start = now - 365 * 24 * 3_600_000;
  const step = Math.floor((now - start) / EVENTS);
  let prevHash = GENESIS_HASH;
  for (let first = 1; first <= EVENTS; first += BATCH) {
    db.transaction(() => {
      for (let seq = first; seq < first + BATCH && seq <= EVENTS; seq++) {
        const eventType = pickType(Math.random());
        const content = {
          id: hex(),
          tenantId: TENANT_ID,
          seq,
          eventType,
          eventTime: new Date(start + seq * step),
          userId: userIds[seq % USERS],
          apiKeyId: eventType.startsWith("api-key.")
            ? keyIds[Math.floor(Math.random() * KEYS)]
            : null,
          source: seq % 3 === 0 ? "api" : "console",
          ip: `10.0.${seq % 250}.${seq % 200}`,
          userAgent: "bench/1.0",
          data: JSON.stringify({ description: `Key ${seq % KEYS}`, n: seq }),
        };
        const hash = writeEvent(content, prevHash);
        prevHash = hash;
      }
    })();
    if ((first - 1) % 200_000 === 0) console.log(`  filled ${first - 1} events`);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(fn: () => unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 10; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** Runs in the child process, with DATABASE_URL on the bench database. */
async function measure(): Promise<void> {
  const { listAuditEvents } = await import("../lib/audit/query");
  const { sqlite } = await import("../lib/db/sqlite/connection");
  const raw = sqlite();
  const admin = raw.prepare(`SELECT id FROM User WHERE tenantId = ? LIMIT 1`).get(TENANT_ID) as {
    id: string;
  };
  const principal = {
    userId: admin.id,
    tenantId: TENANT_ID,
    roles: ["TenantAdmin" as const],
    via: "session" as const,
  };
  const someKey = raw
    .prepare(`SELECT apiKeyId FROM AuditEvent WHERE tenantId = ? AND seq = ?`)
    .get(TENANT_ID, EVENTS - 7) as { apiKeyId: string | null };
  const monthAgo = Date.now() - 30 * 24 * 3_600_000;
  const middle = await listAuditEvents(principal, {
    limit: 1,
    end: new Date(Date.now() - 180 * 24 * 3_600_000),
  });
  const ping = raw.prepare("SELECT 1");
  const cases: [string, () => Promise<unknown>][] = [
    ["first page (25)", () => listAuditEvents(principal, { limit: 25 })],
    ["first page (100)", () => listAuditEvents(principal, { limit: 100 })],
    [
      "deep page via cursor (25)",
      () => listAuditEvents(principal, { limit: 25, next: middle.next }),
    ],
    [
      "by event type, rare (25)",
      () => listAuditEvents(principal, { limit: 25, eventType: "api-keys-config.updated" }),
    ],
    [
      "by event type (25)",
      () => listAuditEvents(principal, { limit: 25, eventType: "api-key.revoked" }),
    ],
    [
      "by key ID (25)",
      () => listAuditEvents(principal, { limit: 25, apiKeyId: someKey.apiKeyId ?? "none" }),
    ],
    [
      "by time range, a month ago (25)",
      () =>
        listAuditEvents(principal, {
          limit: 25,
          start: new Date(monthAgo - 7 * 24 * 3_600_000),
          end: new Date(monthAgo),
        }),
    ],
    [
      "by user and type (25)",
      () =>
        listAuditEvents(principal, { limit: 25, userId: admin.id, eventType: "api-key.deleted" }),
    ],
  ];
  const figures: { name: string; value: number; unit: string; target?: string }[] = [];
  const baseline = await time(() => ping.get());
  figures.push({ name: "baseline SELECT 1 p95", value: round(baseline.p95), unit: "ms" });
  for (const [name, fn] of cases) {
    const result = await time(fn);
    figures.push({ name: `${name} p50`, value: round(result.p50), unit: "ms" });
    figures.push({ name: `${name} p95`, value: round(result.p95), unit: "ms", target: "≤ 100" });
  }
  process.stdout.write(`\n${JSON.stringify(figures)}\n`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const eventsSuite: BenchSuite = {
  name: "events",
  async run() {
    if (!isFilled()) {
      console.log(`  filling ${path.relative(process.cwd(), FILE)} with ${EVENTS} events…`);
      const started = Date.now();
      fill();
      console.log(`  filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const output = execFileSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", __filename, MEASURE_FLAG],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: `file:${FILE}` },
        encoding: "utf8",
        maxBuffer: 1 << 24,
      },
    );
    const lines = output.trim().split("\n");
    return JSON.parse(lines[lines.length - 1]);
  },
};

if (process.argv.includes(MEASURE_FLAG)) {
  measure().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
