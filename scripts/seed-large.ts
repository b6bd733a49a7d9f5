// `npm run seed:large -- --keys 1000000 [--database data/bench-large.db]`: a tenant ("large") with
// N keys over thousands of users, for trying the administration center and its search at scale.
import crypto from "node:crypto";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { sqliteTime } from "@/lib/db/sqlite/time";
import { demoPassword } from "@/lib/tenants/demo-data";

const KEYS_PER_USER = 200;
const BATCH = 20_000;
const DAY = 86_400_000;
const TENANT_SLUG = "large";
const SEARCH_TRIGGER = "ApiKey_search_after_insert";
export const LARGE_ADMIN_EMAIL = "admin@large.test";

const FIRST = [
  "Ada",
  "Alan",
  "Grace",
  "Linus",
  "Margaret",
  "Ken",
  "Barbara",
  "Dennis",
  "Frances",
  "Edsger",
  "Radia",
  "Donald",
  "Katherine",
  "Tim",
  "Hedy",
  "John",
  "Annie",
  "Niklaus",
  "Sophie",
  "Bjarne",
];
const LAST = [
  "Lovelace",
  "Turing",
  "Hopper",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Liskov",
  "Ritchie",
  "Allen",
  "Dijkstra",
  "Perlman",
  "Knuth",
  "Johnson",
  "Berners-Lee",
  "Lamarr",
  "Backus",
  "Easley",
  "Wirth",
  "Wilson",
  "Stroustrup",
];
const SYSTEMS = [
  "billing",
  "reporting",
  "warehouse",
  "crm",
  "analytics",
  "inventory",
  "payroll",
  "search",
  "marketing",
  "support",
  "forecast",
  "etl",
  "ledger",
  "catalog",
  "shipping",
];
const PURPOSES = [
  "nightly sync",
  "dashboard refresh",
  "export job",
  "CI pipeline",
  "data loader",
  "webhook relay",
  "backup task",
  "Postman tests",
  "qlik-cli script",
  "monitoring probe",
];
const ENVIRONMENTS = ["prod", "staging", "dev", "eu-west", "us-east", "apac"];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function hex(bytes: number): string {
  return crypto.randomBytes(bytes).toString("hex");
}

function pick<T>(list: T[], n: number): T {
  return list[n % list.length];
}

export async function seedLarge(file: string, keyCount: number): Promise<void> {
  const url = `file:${file}`;
  const migrate = spawnSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  if (migrate.status !== 0) throw new Error(`migrate deploy failed: ${migrate.stderr}`);

  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");

  const now = Date.now();
  const nowText = sqliteTime(now);
  let tenant = db.prepare(`SELECT id FROM "Tenant" WHERE slug = ?`).get(TENANT_SLUG) as
    { id: string } | undefined;
  if (!tenant) {
    tenant = { id: hex(12) };
    db.prepare(
      `INSERT INTO "Tenant" (id, slug, name, apiKeysEnabled, maxApiKeyExpiry, maxKeysPerUser, createdAt, updatedAt)
       VALUES (?, ?, 'Large Corp', 1, 'P1Y', 1000, ?, ?)`,
    ).run(tenant.id, TENANT_SLUG, nowText, nowText);
  }
  const existing = (
    db.prepare(`SELECT count(*) AS n FROM "ApiKey" WHERE tenantId = ?`).get(tenant.id) as {
      n: number;
    }
  ).n;
  if (existing >= keyCount) {
    console.log(`Tenant "${TENANT_SLUG}" already has ${existing} keys; nothing to do.`);
    db.close();
    return;
  }

  const passwordHash = await hash(demoPassword());
  db.prepare(
    `INSERT OR IGNORE INTO "User" (id, tenantId, email, name, passwordHash, isTenantAdmin, isDeveloper, createdAt, updatedAt)
     VALUES (?, ?, ?, 'Lara Admin', ?, 1, 1, ?, ?)`,
  ).run(hex(12), tenant.id, LARGE_ADMIN_EMAIL, passwordHash, nowText, nowText);

  const userCount = Math.max(1, Math.ceil((keyCount - existing) / KEYS_PER_USER));
  const insertUser = db.prepare(
    `INSERT INTO "User" (id, tenantId, email, name, passwordHash, isTenantAdmin, isDeveloper, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, 0, 1, ?, ?)`,
  );
  const userIds: string[] = [];
  const run = hex(3);
  db.transaction(() => {
    for (let i = 0; i < userCount; i++) {
      const id = hex(12);
      const first = pick(FIRST, i);
      const last = pick(LAST, Math.floor(i / FIRST.length));
      const email = `${first}.${last}.${i}-${run}@large.test`.toLowerCase();
      insertUser.run(id, tenant.id, email, `${first} ${last}`, passwordHash, nowText, nowText);
      userIds.push(id);
    }
  })();

  const insertKey = db.prepare(
    `INSERT INTO "ApiKey" (id, tenantId, ownerId, description, digest, hint, createdAt, updatedAt, expiresAt, revokedAt, revokedById, lastUsedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const total = keyCount - existing;
  const started = Date.now();
  // The name index is built once at the end instead of by its trigger on every row: the trigger is
  // set aside and put back inside one transaction, so an interrupted seed leaves nothing behind.
  const searchTrigger = db
    .prepare<[string], string>(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`)
    .pluck()
    .get(SEARCH_TRIGGER);
  db.transaction(() => {
    if (searchTrigger) db.exec(`DROP TRIGGER "${SEARCH_TRIGGER}"`);
    let random = "";
    for (let i = 0; i < total; i++) {
      if (i % BATCH === 0) {
        // 12 bytes of ID, 32 of digest and 2 of hint per key, drawn once per batch.
        random = crypto.randomBytes(46 * BATCH).toString("hex");
        if (i > 0) process.stdout.write(`\r${i} / ${total} keys`);
      }
      const at = (i % BATCH) * 92;
      const created = now - 400 * DAY + Math.floor((i / total) * 399 * DAY);
      const expires = created + (i % 7 === 0 ? 30 : 365) * DAY;
      const revoked = i % 20 === 0 ? created + DAY : null;
      const used = i % 3 === 0 ? created + (i % 50) * 3_600_000 : null;
      const description = `${pick(SYSTEMS, i)} ${pick(PURPOSES, Math.floor(i / 15))} ${pick(ENVIRONMENTS, Math.floor(i / 150))} #${i}`;
      insertKey.run(
        random.slice(at, at + 24),
        tenant.id,
        userIds[i % userIds.length],
        description,
        random.slice(at + 24, at + 88),
        `kw_…${random.slice(at + 88, at + 92)}`,
        sqliteTime(created),
        sqliteTime(created),
        sqliteTime(expires),
        revoked === null ? null : sqliteTime(revoked),
        null,
        used === null ? null : sqliteTime(used),
      );
    }
    process.stdout.write(`\r${total} / ${total} keys, indexing names…`);
    if (searchTrigger) {
      db.exec(searchTrigger);
      db.exec(
        `INSERT INTO "ApiKeyDescriptionSearch" ("ApiKeyDescriptionSearch") VALUES ('rebuild')`,
      );
    }
  })();
  db.exec("ANALYZE");
  db.close();
  console.log(
    `\nSeeded ${total} keys over ${userCount} users in ${((Date.now() - started) / 1000).toFixed(1)} s. Sign in as ${LARGE_ADMIN_EMAIL}.`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const keys = Number(option("keys") ?? 1_000_000);
  if (!Number.isInteger(keys) || keys < 1)
    throw new Error("--keys must be a positive whole number");
  const target =
    option("database") ??
    (process.env.DATABASE_URL ?? "file:./data/keyward.db").replace(/^file:/, "");
  seedLarge(path.resolve(target), keys).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
