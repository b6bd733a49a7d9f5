// Where a bench keeps its own database, on the engine DATABASE_URL names (SQLite by default): a file
// in data/ for `file:`, or a database of the bench's own on the server of a `postgres://` URL.
import path from "node:path";
import { Client } from "pg";
import { digestApiKeyToken, generateApiKeyId, generateApiKeyToken } from "@/lib/api-keys/token";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { removeSqliteFiles } from "@/lib/db/sqlite-files.mjs";
import { databaseUrl, engineOf, type Engine } from "@/lib/db/url";
import { migrate } from "@/scripts/migrate.mjs";

const ROOT = path.resolve(__dirname, "..");

export interface BenchDatabase {
  engine: Engine;
  url: string;
  /** The file or database name, for messages. */
  where: string;
}

/** The engine the benches measure, from DATABASE_URL. */
export function benchEngine(): Engine {
  return engineOf(databaseUrl());
}

/** The bench database called `name` (`api-auth-on`, `events`) on DATABASE_URL's engine. */
export function benchDatabase(name: string): BenchDatabase {
  const url = databaseUrl();
  if (engineOf(url) === "sqlite") {
    const file = path.join(ROOT, "data", `bench-${name}.db`);
    return { engine: "sqlite", url: `file:${file}`, where: path.relative(process.cwd(), file) };
  }
  // Beside the database DATABASE_URL names, never in it: `keyward_bench` → `keyward_bench_events`.
  const parsed = new URL(url);
  const named = decodeURIComponent(parsed.pathname.slice(1));
  const base = named && named !== "postgres" ? named : "keyward_bench";
  const database = `${base}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  parsed.pathname = `/${database}`;
  return { engine: "postgres", url: parsed.toString(), where: `database ${database}` };
}

/** The server's maintenance database, where a bench database can be dropped. */
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.toString();
}

/** Removes the bench database if it exists (a PostgreSQL one even while clients hold it). */
export async function dropBenchDatabase(database: BenchDatabase): Promise<void> {
  if (database.engine === "sqlite") {
    removeSqliteFiles(database.url.slice("file:".length));
    return;
  }
  const name = decodeURIComponent(new URL(database.url).pathname.slice(1));
  const client = new Client({ connectionString: maintenanceUrl(database.url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The bench database up to the latest migration: emptied first when `fresh`, otherwise reused as
 * it is (a PostgreSQL one is created when missing).
 */
export async function prepareBenchDatabase(
  name: string,
  { fresh }: { fresh: boolean },
): Promise<BenchDatabase> {
  const database = benchDatabase(name);
  if (fresh) await dropBenchDatabase(database);
  migrate(database.url, { stdio: "pipe" });
  return database;
}

/** A key of a demo user (`dev@acme.test` unless named), stored as Keyward stores keys. */
export async function insertBenchKey(
  prisma: PrismaClient,
  description: string,
  email = "dev@acme.test",
): Promise<{ id: string; token: string }> {
  const owner = await prisma.user.findUniqueOrThrow({ where: { email } });
  const token = generateApiKeyToken();
  const key = await prisma.apiKey.create({
    data: {
      id: generateApiKeyId(),
      tenantId: owner.tenantId,
      ownerId: owner.id,
      description,
      digest: digestApiKeyToken(token),
      hint: "kw_…",
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { id: key.id, token };
}
