import Database from "better-sqlite3";
import { databaseUrl, sqliteFilePath } from "../url";

const globalForSqlite = globalThis as unknown as { keywardSqlite?: Database.Database };

/** How long a connection waits for another's write lock before SQLite answers busy. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function openSqlite(file: string): Database.Database {
  const handle = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  handle.pragma("journal_mode = WAL");
  handle.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
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
