import "server-only";
import Database from "better-sqlite3";
import { databaseUrl, sqliteFilePath } from "../url";

/**
 * A read-only SQLite connection for the per-request credential and user reads. It never writes, so
 * `PRAGMA data_version` on it moves on every commit to the database: by Prisma or the usage flush
 * in this process, or by any other instance sharing the file.
 */
interface Reader {
  handle: Database.Database;
  dataVersion: Database.Statement<[], number>;
}

const globalForReader = globalThis as unknown as { keywardSqliteReader?: Reader };

/** The reader connection: the only one the caches below may load rows through. */
export function sqliteReader(): Database.Database {
  if (!globalForReader.keywardSqliteReader) {
    const handle = new Database(sqliteFilePath(databaseUrl()), { readonly: true, timeout: 5000 });
    handle.pragma("busy_timeout = 5000");
    const dataVersion = handle.prepare<[], number>("PRAGMA data_version").pluck();
    globalForReader.keywardSqliteReader = { handle, dataVersion };
  }
  return globalForReader.keywardSqliteReader.handle;
}

function currentDataVersion(): number {
  if (!globalForReader.keywardSqliteReader) sqliteReader();
  return globalForReader.keywardSqliteReader!.dataVersion.get()!;
}

/**
 * Rows kept only while the database is unchanged. Every read first asks SQLite whether any
 * connection has committed since the rows were loaded; if one has (a revocation, a deletion, a
 * disabled user, keys switched off, or an unrelated write), every entry is dropped and the row is
 * read again. A change is therefore seen on the very next request, in every instance.
 *
 * Misses are not kept, so unknown keys cannot fill the cache. Kept rows are frozen: every caller
 * shares them.
 */
export class SnapshotCache<V> {
  private version = -1;
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, load: (reader: Database.Database) => V | undefined): V | undefined {
    const version = currentDataVersion();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const kept = this.entries.get(key);
    if (kept !== undefined) return kept;
    const loaded = load(sqliteReader());
    if (loaded === undefined) return undefined;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, Object.freeze(loaded));
    return loaded;
  }
}

/**
 * A lookup of one row by one text parameter; `sql` ends in `= ` before the parameter: a statement
 * prepared once on the reader connection, its rows kept in a SnapshotCache.
 */
export function cachedRowLookup<Raw, Row extends object>(
  sql: string,
  toRow: (raw: Raw) => Row,
  maxEntries = 10_000,
): (parameter: string) => Row | null {
  let statement: Database.Statement<[string], Raw> | undefined;
  const rows = new SnapshotCache<Row>(maxEntries);
  return (parameter) => {
    const row = rows.get(parameter, (reader) => {
      statement ??= reader.prepare<[string], Raw>(`${sql}?`);
      const raw = statement.get(parameter);
      return raw && toRow(raw);
    });
    return row ?? null;
  };
}
