import "server-only";
import Database from "better-sqlite3";
import { databaseUrl, sqliteFilePath } from "./url";

const globalForSqlite = globalThis as unknown as { keywardSqlite?: Database.Database };

export function openSqlite(file: string): Database.Database {
  const handle = new Database(file, { timeout: 5000 });
  handle.pragma("journal_mode = WAL");
  handle.pragma("busy_timeout = 5000");
  handle.pragma("foreign_keys = ON");
  handle.pragma("synchronous = NORMAL");
  return handle;
}

/** Direct better-sqlite3 handle for the few hot paths where an ORM round trip costs too much. */
export function sqlite(): Database.Database {
  if (!globalForSqlite.keywardSqlite) {
    globalForSqlite.keywardSqlite = openSqlite(sqliteFilePath(databaseUrl()));
  }
  return globalForSqlite.keywardSqlite;
}
