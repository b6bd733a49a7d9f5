import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { Statement } from "better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, isPostgres, sqliteFilePath } from "./url";
import { sqlite } from "./sqlite";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (isPostgres(url))
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  // Open the file once with our own pragmas (WAL is persistent) before Prisma's connection.
  sqlite();
  return new PrismaClient({
    adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 5000 }),
  });
}

const globalForDb = globalThis as unknown as { keywardPrisma?: PrismaClient };

/** The one Prisma client of the process. */
export const db: PrismaClient = globalForDb.keywardPrisma ?? createClient();
globalForDb.keywardPrisma = db;

let ping: Statement<[]> | undefined;

/** A prepared-statement ping through the driver itself: the cheapest honest database check. */
export async function pingDatabase(): Promise<void> {
  if (isPostgres()) {
    await db.$queryRaw`SELECT 1`;
    return;
  }
  ping ??= sqlite().prepare<[]>("SELECT 1");
  ping.get();
}
