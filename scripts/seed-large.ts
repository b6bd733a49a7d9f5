// `npm run seed:large -- --keys 1000000 [--database data/bench-large.db | postgres://…]`: a tenant
// ("large") with N keys over thousands of users, for trying the administration center and its
// search at scale, on SQLite or PostgreSQL (the database defaults to DATABASE_URL).
import crypto from "node:crypto";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { Client } from "pg";
import { sqliteTime } from "@/lib/db/sqlite/time";
import { demoPassword } from "@/lib/tenants/demo-data";
import { migrate } from "./migrate.mjs";

const KEYS_PER_USER = 200;
const BATCH = 20_000;
const DAY = 86_400_000;
const SEARCH_TRIGGER = "ApiKey_search_after_insert";
/** Widens the name ranges of the key search on every insert; the seed widens them once at the end. */
const NAME_RANGE_TRIGGER = "ApiKey_name_trigrams_after_insert";
export const LARGE_TENANT_SLUG = "large";
export const LARGE_ADMIN_EMAIL = "admin@large.test";

const FIRST =
  "Ada Alan Grace Linus Margaret Ken Barbara Dennis Frances Edsger Radia Donald Katherine Tim Hedy John Annie Niklaus Sophie Bjarne";
const LAST =
  "Lovelace Turing Hopper Torvalds Hamilton Thompson Liskov Ritchie Allen Dijkstra Perlman Knuth Johnson Berners-Lee Lamarr Backus Easley Wirth Wilson Stroustrup";
const SYSTEMS =
  "billing reporting warehouse crm analytics inventory payroll search marketing support forecast etl ledger catalog shipping";
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

function pick(list: string | string[], n: number): string {
  const words = typeof list === "string" ? list.split(" ") : list;
  return words[n % words.length];
}

function hex(bytes: number): string {
  return crypto.randomBytes(bytes).toString("hex");
}

interface SeedUser {
  id: string;
  email: string;
  name: string;
  /** The demo password, hashed for this user alone (a salt of its own). */
  passwordHash: string;
}

/** One generated key; times in milliseconds. */
interface SeedKey {
  id: string;
  ownerId: string;
  description: string;
  digest: string;
  hint: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Every user's password is hashed on its own; the hashes run in parallel on libuv's threads. */
async function seedUsers(count: number): Promise<SeedUser[]> {
  const run = hex(3);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const first = pick(FIRST, i);
      const last = pick(LAST, Math.floor(i / 20));
      const email = `${first}.${last}.${i}-${run}@large.test`.toLowerCase();
      return {
        id: hex(12),
        email,
        name: `${first} ${last}`,
        passwordHash: await hash(demoPassword()),
      };
    }),
  );
}

/** Keys in batches: a year of creation times, some revoked, expired or used, and varied names. */
function* seedKeyBatches(total: number, ownerIds: string[], now: number): Generator<SeedKey[]> {
  for (let start = 0; start < total; start += BATCH) {
    const size = Math.min(BATCH, total - start);
    // 12 bytes of ID, 32 of digest and 2 of hint per key, drawn once per batch.
    const random = crypto.randomBytes(46 * size).toString("hex");
    yield Array.from({ length: size }, (_, j) => {
      const i = start + j;
      const at = j * 92;
      const createdAt = now - 400 * DAY + Math.floor((i / total) * 399 * DAY);
      return {
        id: random.slice(at, at + 24),
        ownerId: ownerIds[i % ownerIds.length],
        description: `${pick(SYSTEMS, i)} ${pick(PURPOSES, Math.floor(i / 15))} ${pick(ENVIRONMENTS, Math.floor(i / 150))} #${i}`,
        digest: random.slice(at + 24, at + 88),
        hint: `kw_…${random.slice(at + 88, at + 92)}`,
        createdAt,
        expiresAt: createdAt + (i % 7 === 0 ? 30 : 365) * DAY,
        revokedAt: i % 20 === 0 ? createdAt + DAY : null,
        lastUsedAt: i % 3 === 0 ? createdAt + (i % 50) * 3_600_000 : null,
      };
    });
  }
}

/** What a seed needs of a database; each engine writes in its own fastest way. */
interface SeedTarget {
  /** The large tenant's ID (created if missing) and how many keys it holds. */
  tenant(now: number): Promise<{ id: string; keys: number }>;
  /** Adds the tenant admin (if missing) and the users, then the keys, all or nothing. */
  fill(
    tenantId: string,
    admin: SeedUser,
    users: SeedUser[],
    keys: Iterable<SeedKey[]>,
  ): Promise<void>;
  close(): Promise<void>;
}

function sqliteTarget(file: string): SeedTarget {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const time = (ms: number | null) => (ms === null ? null : sqliteTime(ms));
  return {
    async tenant(now) {
      let tenant = db.prepare(`SELECT id FROM "Tenant" WHERE slug = ?`).get(LARGE_TENANT_SLUG) as
        { id: string } | undefined;
      if (!tenant) {
        tenant = { id: hex(12) };
        db.prepare(
          `INSERT INTO "Tenant" (id, slug, name, apiKeysEnabled, maxApiKeyExpiry, maxKeysPerUser, createdAt, updatedAt)
           VALUES (?, ?, 'Large Corp', 1, 'P1Y', 1000, ?, ?)`,
        ).run(tenant.id, LARGE_TENANT_SLUG, time(now), time(now));
      }
      const count = db.prepare(`SELECT count(*) FROM "ApiKey" WHERE tenantId = ?`).pluck();
      return { id: tenant.id, keys: count.get(tenant.id) as number };
    },
    async fill(tenantId, admin, users, batches) {
      const nowText = sqliteTime(Date.now());
      const insertUser = db.prepare(
        `INSERT OR IGNORE INTO "User" (id, tenantId, email, name, passwordHash, isTenantAdmin, isDeveloper, createdAt, updatedAt)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      );
      const insertKey = db.prepare(
        `INSERT INTO "ApiKey" (id, tenantId, ownerId, description, digest, hint, createdAt, updatedAt, expiresAt, revokedAt, lastUsedAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // The name index and the name ranges are built once at the end instead of by their triggers on
      // every row: the triggers are set aside and put back inside one transaction, so an
      // interrupted seed leaves nothing.
      const searchTrigger = db
        .prepare<[string], string>(
          `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`,
        )
        .pluck()
        .get(SEARCH_TRIGGER);
      const rangeTrigger = db
        .prepare<[string], string>(
          `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`,
        )
        .pluck()
        .get(NAME_RANGE_TRIGGER);
      db.transaction(() => {
        insertUser.run(
          admin.id,
          tenantId,
          admin.email,
          admin.name,
          admin.passwordHash,
          1,
          nowText,
          nowText,
        );
        for (const user of users) {
          insertUser.run(
            user.id,
            tenantId,
            user.email,
            user.name,
            user.passwordHash,
            0,
            nowText,
            nowText,
          );
        }
        if (searchTrigger) db.exec(`DROP TRIGGER "${SEARCH_TRIGGER}"`);
        if (rangeTrigger) db.exec(`DROP TRIGGER "${NAME_RANGE_TRIGGER}"`);
        for (const batch of batches) {
          for (const key of batch) {
            const created = time(key.createdAt);
            insertKey.run(
              key.id,
              tenantId,
              key.ownerId,
              key.description,
              key.digest,
              key.hint,
              created,
              created,
              time(key.expiresAt),
              time(key.revokedAt),
              time(key.lastUsedAt),
            );
          }
          progress(batch);
        }
        process.stdout.write(", indexing names…");
        if (searchTrigger) {
          db.exec(searchTrigger);
          db.exec(
            `INSERT INTO "ApiKeyDescriptionSearch" ("ApiKeyDescriptionSearch") VALUES ('rebuild')`,
          );
        }
        if (rangeTrigger) {
          db.exec(rangeTrigger);
          db.prepare(
            `INSERT INTO "ApiKeyNameTrigram"
               ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
             SELECT k."tenantId", substr(lower(k."description"), p."n", 3), min(k."description"),
               max(k."description"), min(u."name"), max(u."name")
             FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
               JOIN "ApiKeyNamePosition" p ON p."n" <= length(k."description") - 2
             WHERE k."tenantId" = ? GROUP BY 1, 2
             ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
               "minDescription" = min("minDescription", excluded."minDescription"),
               "maxDescription" = max("maxDescription", excluded."maxDescription"),
               "minOwnerName" = min("minOwnerName", excluded."minOwnerName"),
               "maxOwnerName" = max("maxOwnerName", excluded."maxOwnerName")`,
          ).run(tenantId);
        }
      })();
      db.exec("ANALYZE");
    },
    async close() {
      db.close();
    },
  };
}

function postgresTarget(url: string): SeedTarget {
  const client = new Client({ connectionString: url });
  const connected = client.connect();
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const column = <T>(rows: T[], pick: (row: T) => unknown) => rows.map(pick);
  return {
    async tenant(now) {
      await connected;
      await client.query(
        `INSERT INTO "Tenant" (id, slug, name, "apiKeysEnabled", "maxApiKeyExpiry", "maxKeysPerUser", "createdAt", "updatedAt")
         VALUES ($1, $2, 'Large Corp', true, 'P1Y', 1000, $3, $3) ON CONFLICT (slug) DO NOTHING`,
        [hex(12), LARGE_TENANT_SLUG, iso(now)],
      );
      const { rows } = await client.query<{ id: string; keys: number }>(
        `SELECT t.id, (SELECT count(*)::int FROM "ApiKey" k WHERE k."tenantId" = t.id) AS keys
         FROM "Tenant" t WHERE t.slug = $1`,
        [LARGE_TENANT_SLUG],
      );
      return rows[0];
    },
    async fill(tenantId, admin, users, batches) {
      await connected;
      await client.query("BEGIN");
      try {
        await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
        const all = [
          { ...admin, isTenantAdmin: true },
          ...users.map((user) => ({ ...user, isTenantAdmin: false })),
        ];
        await client.query(
          `INSERT INTO "User" (id, "tenantId", email, name, "passwordHash", "isTenantAdmin", "isDeveloper", "createdAt", "updatedAt")
           SELECT u.id, $1, u.email, u.name, u.hash, u.admin, true, now(), now()
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[]) AS u(id, email, name, hash, admin)
           ON CONFLICT (email) DO NOTHING`,
          [
            tenantId,
            column(all, (u) => u.id),
            column(all, (u) => u.email),
            column(all, (u) => u.name),
            column(all, (u) => u.passwordHash),
            column(all, (u) => u.isTenantAdmin),
          ],
        );
        // The key table's secondary indexes (the trigram one above all) and the name ranges are built
        // once at the end, from their own definitions, inside this transaction: an interrupted seed
        // leaves nothing.
        const { rows: indexes } = await client.query<{ name: string; definition: string }>(
          `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = 'ApiKey'
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        );
        for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
        await client.query(`ALTER TABLE "ApiKey" DISABLE TRIGGER "${NAME_RANGE_TRIGGER}"`);
        for (const batch of batches) {
          await client.query(
            `INSERT INTO "ApiKey" (id, "tenantId", "ownerId", description, digest, hint, "createdAt", "updatedAt", "expiresAt", "revokedAt", "lastUsedAt")
             SELECT k.id, $1, k.owner, k.description, k.digest, k.hint, k.created, k.created, k.expires, k.revoked, k.used
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
               AS k(id, owner, description, digest, hint, created, expires, revoked, used)`,
            [
              tenantId,
              column(batch, (k) => k.id),
              column(batch, (k) => k.ownerId),
              column(batch, (k) => k.description),
              column(batch, (k) => k.digest),
              column(batch, (k) => k.hint),
              column(batch, (k) => iso(k.createdAt)),
              column(batch, (k) => iso(k.expiresAt)),
              column(batch, (k) => iso(k.revokedAt)),
              column(batch, (k) => iso(k.lastUsedAt)),
            ],
          );
          progress(batch);
        }
        process.stdout.write(", indexing…");
        for (const index of indexes) await client.query(index.definition);
        await client.query(`ALTER TABLE "ApiKey" ENABLE TRIGGER "${NAME_RANGE_TRIGGER}"`);
        await client.query(
          `INSERT INTO "ApiKeyNameTrigram" AS t
             ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
           SELECT k."tenantId", substr(lower(k."description"), n, 3), min(k."description"),
             max(k."description"), min(u."name"), max(u."name")
           FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
             CROSS JOIN LATERAL generate_series(1, length(k."description") - 2) AS n
           WHERE k."tenantId" = $1 GROUP BY 1, 2
           ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
             "minDescription" = LEAST(t."minDescription", EXCLUDED."minDescription"),
             "maxDescription" = GREATEST(t."maxDescription", EXCLUDED."maxDescription"),
             "minOwnerName" = LEAST(t."minOwnerName", EXCLUDED."minOwnerName"),
             "maxOwnerName" = GREATEST(t."maxOwnerName", EXCLUDED."maxOwnerName")`,
          [tenantId],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      // Index-only scans need the visibility map that VACUUM writes.
      await client.query(`VACUUM ANALYZE "User", "ApiKey"`);
    },
    async close() {
      await client.end();
    },
  };
}

let written = 0;
function progress(batch: SeedKey[]) {
  written += batch.length;
  process.stdout.write(`\r${written} keys`);
}

/** `target` is a DATABASE_URL (file: or postgres://) or the path of a SQLite file. */
export async function seedLarge(target: string, keyCount: number): Promise<void> {
  const url = /^(file:|postgres(ql)?:\/\/)/.test(target) ? target : `file:${target}`;
  migrate(url, { stdio: "pipe" });
  const seed = url.startsWith("file:")
    ? sqliteTarget(path.resolve(url.slice(5)))
    : postgresTarget(url);
  try {
    const now = Date.now();
    const tenant = await seed.tenant(now);
    if (tenant.keys >= keyCount) {
      console.log(`Tenant "${LARGE_TENANT_SLUG}" already has ${tenant.keys} keys; nothing to do.`);
      return;
    }
    const total = keyCount - tenant.keys;
    const started = Date.now();
    const users = await seedUsers(Math.max(1, Math.ceil(total / KEYS_PER_USER)));
    const passwordHash = await hash(demoPassword());
    const admin = { id: hex(12), email: LARGE_ADMIN_EMAIL, name: "Lara Admin", passwordHash };
    const hashing = (Date.now() - started) / 1000;
    written = 0;
    const batches = seedKeyBatches(
      total,
      users.map((user) => user.id),
      now,
    );
    await seed.fill(tenant.id, admin, users, batches);
    console.log(
      `\nSeeded ${total} keys over ${users.length} users in ${((Date.now() - started) / 1000).toFixed(1)} s (${hashing.toFixed(1)} s of it hashing their passwords). Sign in as ${LARGE_ADMIN_EMAIL}.`,
    );
  } finally {
    await seed.close();
  }
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const keys = Number(option("keys") ?? 1_000_000);
  if (!Number.isInteger(keys) || keys < 1)
    throw new Error("--keys must be a positive whole number");
  const target = option("database") ?? process.env.DATABASE_URL ?? "file:./data/keyward.db";
  seedLarge(target, keys).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
