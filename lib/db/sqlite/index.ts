import "server-only";
import type Database from "better-sqlite3";
import type { Dialect } from "../dialect";
import {
  KEY_CREDENTIAL_SQL,
  keyCredentialRowFrom,
  SESSION_SQL,
  sessionRowFrom,
  USER_SQL,
  userRowFrom,
  type RawKeyCredentialRow,
  type RawSessionRow,
  type RawUserRow,
} from "../rows";
import { databaseUrl, sqliteFilePath } from "../url";
import { searchApiKeyRows } from "./api-key-search";
import { sqlite } from "./connection";
import { rateLimitFilePath } from "../sqlite-files.mjs";
import { openSqlite } from "./connection";
import { cachedRowLookup } from "./snapshot-cache";
import { writeUsage, writeUsageSync } from "./usage";

const globalForLimits = globalThis as unknown as { keywardRateLimitSqlite?: Database.Database };

/**
 * The rate-limit store: a file beside the database, written only by rate limiting, so that its
 * short synchronous writes never wait on an application transaction; every instance on the
 * machine shares it.
 */
function rateLimitSqlite(): Database.Database {
  globalForLimits.keywardRateLimitSqlite ??= openSqlite(
    rateLimitFilePath(sqliteFilePath(databaseUrl())),
  );
  return globalForLimits.keywardRateLimitSqlite;
}

/** SQLite answers busy when another connection holds the write lock past the busy timeout. */
function isBusy(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "P1008")) ||
    /SQLITE_BUSY|database is locked|Operation has timed out/i.test(String(message ?? ""))
  );
}

export function sqliteDialect(): Dialect {
  const findKeyCredential = cachedRowLookup<
    RawKeyCredentialRow,
    ReturnType<typeof keyCredentialRowFrom>
  >(KEY_CREDENTIAL_SQL, keyCredentialRowFrom);
  const findUserById = cachedRowLookup<RawUserRow, ReturnType<typeof userRowFrom>>(
    USER_SQL,
    userRowFrom,
  );
  const findSessionById = cachedRowLookup<RawSessionRow, ReturnType<typeof sessionRowFrom>>(
    SESSION_SQL,
    sessionRowFrom,
  );
  let ping: Database.Statement<[]> | undefined;
  return {
    engine: "sqlite",
    async ping() {
      ping ??= sqlite().prepare<[]>("SELECT 1");
      ping.get();
    },
    async findKeyCredential(digest) {
      return findKeyCredential(digest);
    },
    async findUserById(id) {
      return findUserById(id);
    },
    async findSessionById(id) {
      return findSessionById(id);
    },
    async searchApiKeys(params, countCap) {
      return searchApiKeyRows(params, countCap);
    },
    writeUsage,
    writeUsageSync,
    rateLimitStore: () => ({ storeClient: rateLimitSqlite(), storeType: "better-sqlite3" }),
    async lockRow(tx, table, id) {
      // Transactions begin immediate (lib/db/client.ts): the lock is already held; this keeps
      // the row's writers in one order on both engines.
      if (table === "User") {
        await tx.$executeRaw`UPDATE "User" SET "updatedAt" = "updatedAt" WHERE "id" = ${id}`;
      } else {
        await tx.$executeRaw`UPDATE "Tenant" SET "updatedAt" = "updatedAt" WHERE "id" = ${id}`;
      }
    },
    isRetryable: isBusy,
    async close() {},
  };
}
