// What a test needs to act as another instance, or as an attacker, on the worker's database
// (test/setup.ts), whichever engine runs it: a raw connection of its own, beside the app's.
import { Client } from "pg";
import { openSqlite } from "@/lib/db/sqlite/connection";
import { sqliteTime } from "@/lib/db/sqlite/time";
import { databaseUrl, engineOf, sqliteFilePath } from "@/lib/db/url";

export const testEngine = engineOf();

export interface RawDatabase {
  /** One statement with `?` placeholders; without parameters, any number of statements. */
  run(sql: string, ...params: unknown[]): Promise<void>;
  all<Row = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<Row[]>;
  /** Every table of the database. */
  tables(): Promise<string[]>;
  close(): Promise<void>;
}

/** better-sqlite3 binds neither Dates nor booleans: they go in as Prisma stores them. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return sqliteTime(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** `?` as PostgreSQL's `$1`, `$2`…: the SQL must hold no other question mark. */
function numbered(sql: string): string {
  let count = 0;
  return sql.replace(/\?/g, () => `$${++count}`);
}

/** A connection of its own to the worker's database, as another Keyward instance opens one. */
export async function rawDatabase(url = databaseUrl()): Promise<RawDatabase> {
  if (engineOf(url) === "sqlite") {
    const handle = openSqlite(sqliteFilePath(url));
    return {
      async run(sql, ...params) {
        if (params.length === 0) handle.exec(sql);
        else handle.prepare(sql).run(...params.map(sqliteValue));
      },
      async all<Row>(sql: string, ...params: unknown[]) {
        return handle.prepare(sql).all(...params.map(sqliteValue)) as Row[];
      },
      async tables() {
        const rows = handle
          .prepare(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT GLOB 'sqlite_*'`,
          )
          .all() as { name: string }[];
        return rows.map((row) => row.name);
      },
      async close() {
        handle.close();
      },
    };
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  const all = async <Row>(sql: string, ...params: unknown[]) =>
    params.length === 0
      ? ((await client.query(sql)).rows as Row[])
      : ((await client.query(numbered(sql), params)).rows as Row[]);
  return {
    async run(sql, ...params) {
      await all(sql, ...params);
    },
    all,
    async tables() {
      const rows = await all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      return rows.map((row) => row.name);
    },
    async close() {
      await client.end();
    },
  };
}

/** Opens a raw connection for `work` and closes it after. */
export async function withRawDatabase<T>(work: (raw: RawDatabase) => Promise<T>): Promise<T> {
  const raw = await rawDatabase();
  try {
    return await work(raw);
  } finally {
    await raw.close();
  }
}

/**
 * Makes every insert into `table` for one tenant fail in the database itself, as a full disk
 * would, with the message "<table> unavailable". Resolves to the function that removes the fault.
 */
export async function failInsertsFor(
  table: "AuditEvent" | "ApiKeyUsage",
  tenantId: string,
): Promise<() => Promise<void>> {
  if (!/^\w+$/.test(tenantId)) throw new Error(`Not a tenant ID: ${tenantId}`);
  const name = `test_fail_${table}_${tenantId}`;
  const when = `NEW."tenantId" = '${tenantId}'`;
  await withRawDatabase((raw) =>
    raw.run(
      testEngine === "sqlite"
        ? `CREATE TRIGGER "${name}" BEFORE INSERT ON "${table}" WHEN ${when}
           BEGIN SELECT RAISE(ABORT, '${table} unavailable'); END`
        : `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql
             AS $$ BEGIN RAISE EXCEPTION '${table} unavailable'; END $$;
           CREATE TRIGGER "${name}" BEFORE INSERT ON "${table}" FOR EACH ROW WHEN (${when})
             EXECUTE FUNCTION "${name}"()`,
    ),
  );
  return () =>
    withRawDatabase((raw) =>
      raw.run(
        testEngine === "sqlite"
          ? `DROP TRIGGER "${name}"`
          : `DROP TRIGGER "${name}" ON "${table}"; DROP FUNCTION "${name}"()`,
      ),
    );
}

/** Makes writing an audit event of one tenant fail; resolves to the remover. */
export function failAuditInsertsFor(tenantId: string): Promise<() => Promise<void>> {
  return failInsertsFor("AuditEvent", tenantId);
}

/**
 * Runs `sql` on the audit log past its append-only triggers, as someone holding the database's
 * keys could. SQLite: the guards are dropped and put back in the same transaction, so no other
 * connection ever sees the log unguarded. PostgreSQL: a replica session fires no ordinary triggers.
 */
export function tamperWithAuditLog(sql: string, ...params: unknown[]): Promise<void> {
  return withRawDatabase(async (raw) => {
    if (testEngine === "postgres") {
      await raw.run("SET session_replication_role = replica");
      await raw.run(sql, ...params);
      return;
    }
    await raw.run("BEGIN IMMEDIATE");
    try {
      const guards = await raw.all<{ name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'AuditEvent_no_*'`,
      );
      for (const guard of guards) await raw.run(`DROP TRIGGER "${guard.name}"`);
      await raw.run(sql, ...params);
      for (const guard of guards) await raw.run(guard.sql);
      await raw.run("COMMIT");
    } catch (error) {
      await raw.run("ROLLBACK");
      throw error;
    }
  });
}
