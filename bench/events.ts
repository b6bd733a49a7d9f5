// Benchmark: the audit log at 1,000,000 events, on the engine DATABASE_URL names. Fills the bench's
// own database once (a valid hash chain), then measures listAuditEvents in a child process bound to
// that database, against the engine's prepared ping.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { Client } from "pg";
import { eventHash, GENESIS_HASH, type ChainedContent } from "@/lib/audit/chain";
import { createPrismaClient } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { prepareBenchDatabase, type BenchDatabase } from "./database";
import type { BenchSuite } from "./suites";

const ROOT = path.resolve(__dirname, "..");
const EVENTS = 1_000_000;
const TENANT_ID = "b".repeat(24);
const USERS = 20;
const KEYS = 2000;
const BATCH = 10_000;
const ITERATIONS = 200;
// The chain is keyed as Keyward keys it; the bench reads events and never verifies them.
const AUDIT_KEY = "keyward-bench-audit-key";
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

type ChainedEvent = ChainedContent & { prevHash: string; hash: string };

/** A year of the tenant's events in batches, each chained to the one before. */
function* eventBatches(userIds: string[], now: number): Generator<ChainedEvent[]> {
  const keyIds = Array.from({ length: KEYS }, hex);
  const start = now - 365 * 24 * 3_600_000;
  const step = Math.floor((now - start) / EVENTS);
  let prevHash = GENESIS_HASH;
  for (let first = 1; first <= EVENTS; first += BATCH) {
    const batch: ChainedEvent[] = [];
    for (let seq = first; seq < first + BATCH && seq <= EVENTS; seq++) {
      const eventType = pickType(Math.random());
      const content: ChainedContent = {
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
      const hash = eventHash(AUDIT_KEY, prevHash, content);
      batch.push({ ...content, prevHash, hash });
      prevHash = hash;
    }
    yield batch;
  }
}

const COLUMNS = [
  "id",
  "tenantId",
  "seq",
  "eventType",
  "eventTime",
  "userId",
  "apiKeyId",
  "source",
  "ip",
  "userAgent",
  "data",
  "prevHash",
  "hash",
] as const;
const TYPES_OF: Partial<Record<(typeof COLUMNS)[number], string>> = {
  seq: "int",
  eventTime: "timestamptz",
};

/** PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per batch, through the driver. */
async function writePostgres(url: string, batches: Iterable<ChainedEvent[]>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const sql = `INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")})
    SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${TYPES_OF[c] ?? "text"}[]`).join(", ")})`;
  try {
    for (const batch of batches) {
      await client.query(
        sql,
        COLUMNS.map((column) => batch.map((event) => event[column])),
      );
      report(batch);
    }
    // The planner's statistics and the visibility map, as autovacuum leaves a settled table.
    await client.query(`VACUUM ANALYZE "AuditEvent"`);
  } finally {
    await client.end();
  }
}

/** SQLite: Prisma's createMany, a batch per transaction. */
async function writeSqlite(prisma: PrismaClient, batches: Iterable<ChainedEvent[]>): Promise<void> {
  for (const batch of batches) {
    await prisma.auditEvent.createMany({ data: batch });
    report(batch);
  }
}

function report(batch: ChainedEvent[]): void {
  const last = batch[batch.length - 1].seq;
  if (last % 200_000 === 0) console.log(`  filled ${last} events`);
}

async function isFilled(prisma: PrismaClient): Promise<boolean> {
  const last = await prisma.auditEvent.aggregate({
    where: { tenantId: TENANT_ID },
    _max: { seq: true },
  });
  return last._max.seq === EVENTS;
}

async function fill(database: BenchDatabase, prisma: PrismaClient): Promise<void> {
  const now = Date.now();
  await prisma.tenant.create({
    data: { id: TENANT_ID, slug: "bench", name: "Bench", apiKeysEnabled: true },
  });
  const userIds = Array.from({ length: USERS }, hex);
  await prisma.user.createMany({
    data: userIds.map((id, i) => ({
      id,
      tenantId: TENANT_ID,
      email: `bench${i}@bench.test`,
      name: `Bench ${i}`,
      passwordHash: "x",
      isTenantAdmin: true,
      isDeveloper: true,
    })),
  });
  const batches = eventBatches(userIds, now);
  if (database.engine === "postgres") await writePostgres(database.url, batches);
  else await writeSqlite(prisma, batches);
}

/** The bench database with its million events: reused when filled, else made anew and filled. */
async function filledDatabase(): Promise<BenchDatabase> {
  let database = await prepareBenchDatabase("events", { fresh: false });
  let prisma = createPrismaClient(database.url);
  try {
    if (await isFilled(prisma)) return database;
    await prisma.$disconnect();
    database = await prepareBenchDatabase("events", { fresh: true });
    prisma = createPrismaClient(database.url);
    console.log(`  filling ${database.where} with ${EVENTS} events…`);
    const started = Date.now();
    await fill(database, prisma);
    console.log(`  filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return database;
  } finally {
    await prisma.$disconnect();
  }
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
  const { listAuditEvents } = await import("@/lib/audit/query");
  const { closeDatabase, db, pingDatabase } = await import("@/lib/db");
  const admin = await db.user.findFirstOrThrow({
    where: { tenantId: TENANT_ID },
    orderBy: { email: "asc" },
  });
  const principal = {
    userId: admin.id,
    tenantId: TENANT_ID,
    roles: ["TenantAdmin" as const],
    via: "session" as const,
  };
  const someKey = await db.auditEvent.findUniqueOrThrow({
    where: { tenantId_seq: { tenantId: TENANT_ID, seq: EVENTS - 7 } },
    select: { apiKeyId: true },
  });
  const monthAgo = Date.now() - 30 * 24 * 3_600_000;
  const middle = await listAuditEvents(principal, {
    limit: 1,
    end: new Date(Date.now() - 180 * 24 * 3_600_000),
  });
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
  const figures: { name: string; value: number; unit: string; target?: string; met?: boolean }[] =
    [];
  const baseline = await time(pingDatabase);
  figures.push({ name: "baseline prepared SELECT 1 p95", value: round(baseline.p95), unit: "ms" });
  for (const [name, fn] of cases) {
    const result = await time(fn);
    figures.push({ name: `${name} p50`, value: round(result.p50), unit: "ms" });
    figures.push({
      name: `${name} p95`,
      value: round(result.p95),
      unit: "ms",
      target: "≤ 100",
      met: result.p95 <= 100,
    });
  }
  await closeDatabase();
  process.stdout.write(`\n${JSON.stringify(figures)}\n`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const eventsSuite: BenchSuite = {
  name: "events",
  async run() {
    const database = await filledDatabase();
    const output = execFileSync(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", __filename, MEASURE_FLAG],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: database.url },
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
