// Makes the Prisma client for DATABASE_URL's engine. Not server-only: Keyward's scripts, benches and
// the e2e fixtures make their clients here too, so that they arrange data as the app writes it.
import type Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-postgres/client";
import { openSqlite, SQLITE_BUSY_TIMEOUT_MS } from "./sqlite/connection";
import { databaseUrl, engineOf, sqliteFilePath } from "./url";

/**
 * SQLite with immediate transactions: each one takes the write lock as it begins, waiting for it
 * up to the busy timeout. A deferred transaction that reads first cannot wait when it comes to
 * write (SQLite answers busy at once to keep snapshots consistent), so two processes on one file
 * would fail each other's read-then-write transactions.
 */
class ImmediateSqlite extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: Database.Database }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = ((sql: string) =>
      prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof client.prepare;
    return adapter;
  }
}

/**
 * A Prisma client for the database at `url`. Both generated clients come from one schema, so the
 * PostgreSQL one has the same models and methods; it is typed as the SQLite one.
 */
export function createPrismaClient(url = databaseUrl()): PrismaClient {
  if (engineOf(url) === "postgres") {
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    return client as unknown as PrismaClient;
  }
  const file = sqliteFilePath(url);
  // Open the file once with Keyward's pragmas (WAL is persistent) before Prisma's connection.
  openSqlite(file).close();
  return new PrismaClient({
    adapter: new ImmediateSqlite({ url: file, timeout: SQLITE_BUSY_TIMEOUT_MS }),
  });
}
