import "server-only";
import type { RateLimiterPostgres, RateLimiterSQLite } from "rate-limiter-flexible";
import type { KeyCredentialRow } from "@/lib/api-keys/credential";
import type { SessionRow } from "@/lib/auth/session-row";
import type { UserRow } from "@/lib/users/user-row";
import type { KeySearchPage, KeySearchParams } from "@/lib/api-keys/key-search";
import type { Tx } from "./index";
import { engineOf } from "./url";

/** Requests of one key in one hourly bucket, as counted in memory since the last flush. */
export interface UsageCount {
  apiKeyId: string;
  tenantId: string;
  bucketStart: Date;
  requests: number;
  lastUsedAt: Date;
  lastIp: string | null;
}

type RateLimiterStoreOptions =
  | Pick<ConstructorParameters<typeof RateLimiterSQLite>[0], "storeClient" | "storeType">
  | Pick<ConstructorParameters<typeof RateLimiterPostgres>[0], "storeClient" | "storeType">;

/**
 * What differs between SQLite and PostgreSQL, and nothing else: the domain's rules live in
 * `lib/<domain>`, which hands its rows and parameters to these functions through the types above.
 */
export interface Dialect {
  readonly engine: "sqlite" | "postgres";
  /** The cheapest honest check that the database answers: a prepared statement on the driver. */
  ping(): Promise<void>;
  /** A key by its token's digest, with its owner and tenant; kept only while nothing changed. */
  findKeyCredential(digest: string): Promise<KeyCredentialRow | null>;
  /** A user by ID with the tenant's name; kept only while nothing changed. */
  findUserById(id: string): Promise<UserRow | null>;
  /** A session by ID with its user and the tenant's name; kept only while nothing changed. */
  findSessionById(id: string): Promise<SessionRow | null>;
  /** One page of the administration's key search. */
  searchApiKeys(params: KeySearchParams, countCap: number): Promise<KeySearchPage>;
  /** Adds counts to the usage buckets; false when the database was busy and nothing was written. */
  writeUsage(counts: UsageCount[]): Promise<boolean>;
  /** The same at exit, without the event loop; false where the engine cannot. */
  writeUsageSync(counts: UsageCount[]): boolean;
  /** Where rate-limiter-flexible keeps the shared counts. */
  rateLimitStore(): RateLimiterStoreOptions;
  /** Takes the write lock on one row for the rest of the transaction. */
  lockRow(tx: Tx, table: "User" | "Tenant", id: string): Promise<void>;
  /** Whether a failed transaction lost a race (busy, serialization) and may simply run again. */
  isRetryable(error: unknown): boolean;
  /** Ends the engine's own connections, so that a script can exit. */
  close(): Promise<void>;
}

const globalForDialect = globalThis as unknown as {
  keywardDialect?: Promise<Dialect>;
  keywardLoadedDialect?: Dialect;
};

/** The engine's implementation, loaded on first use so that the other engine's code never runs. */
export function dialect(): Promise<Dialect> {
  globalForDialect.keywardDialect ??= (
    engineOf() === "postgres"
      ? import("./postgres").then((module) => module.postgresDialect())
      : import("./sqlite").then((module) => module.sqliteDialect())
  ).then((loaded) => (globalForDialect.keywardLoadedDialect = loaded));
  return globalForDialect.keywardDialect;
}

/** The implementation if it is loaded already, for work that cannot wait (the exit hook). */
export function loadedDialect(): Dialect | undefined {
  return globalForDialect.keywardLoadedDialect;
}
