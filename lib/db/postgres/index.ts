import "server-only";
import type { KeyCredentialRow } from "@/lib/api-keys/credential";
import type { SessionRow } from "@/lib/auth/session-row";
import type { UserRow } from "@/lib/users/user-row";
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
import { searchApiKeyRows } from "./api-key-search";
import { ChangeListener } from "./change-listener";
import { closePool, pool } from "./pool";
import { RowCache } from "./row-cache";
import { writeUsage } from "./usage";

/** SQLSTATEs of a lost race: serialization failure, deadlock, and a unique clash under one. */
const RETRYABLE_CODES = new Set(["40001", "40P01"]);

function isRetryable(error: unknown): boolean {
  const { code, meta, message } = (error ?? {}) as {
    code?: unknown;
    meta?: { code?: unknown };
    message?: unknown;
  };
  if (typeof code === "string" && RETRYABLE_CODES.has(code)) return true;
  if (code === "P2034") return true;
  if (typeof meta?.code === "string" && RETRYABLE_CODES.has(meta.code)) return true;
  return /could not serialize|deadlock detected/i.test(String(message ?? ""));
}

/** One prepared lookup through the driver's pool, the statement named so it is parsed once. */
function lookup<Raw, Row>(name: string, sql: string, toRow: (raw: Raw) => Row) {
  const text = `${sql}$1`;
  return async (parameter: string): Promise<Row | undefined> => {
    const result = await pool().query<Raw & object>({ name, text, values: [parameter] });
    return result.rows[0] ? toRow(result.rows[0]) : undefined;
  };
}

export function postgresDialect(): Dialect {
  const listener = new ChangeListener();
  listener.start();
  const keys = new RowCache<KeyCredentialRow>(listener);
  const users = new RowCache<UserRow>(listener);
  const sessions = new RowCache<SessionRow>(listener);
  const loadKey = lookup<RawKeyCredentialRow, KeyCredentialRow>(
    "keyward_key_credential",
    KEY_CREDENTIAL_SQL,
    keyCredentialRowFrom,
  );
  const loadUser = lookup<RawUserRow, UserRow>("keyward_user", USER_SQL, userRowFrom);
  const loadSession = lookup<RawSessionRow, SessionRow>(
    "keyward_session",
    SESSION_SQL,
    sessionRowFrom,
  );
  return {
    engine: "postgres",
    async ping() {
      await pool().query({ name: "keyward_ping", text: "SELECT 1" });
    },
    async findKeyCredential(digest) {
      return (await keys.get(digest, () => loadKey(digest))) ?? null;
    },
    async findUserById(id) {
      return (await users.get(id, () => loadUser(id))) ?? null;
    },
    async findSessionById(id) {
      return (await sessions.get(id, () => loadSession(id))) ?? null;
    },
    searchApiKeys: searchApiKeyRows,
    writeUsage,
    writeUsageSync: () => false,
    rateLimitStore: () => ({ storeClient: pool(), storeType: "pool" }),
    async lockRow(tx, table, id) {
      if (table === "User") {
        await tx.$executeRaw`SELECT 1 FROM "User" WHERE "id" = ${id} FOR UPDATE`;
      } else {
        await tx.$executeRaw`SELECT 1 FROM "Tenant" WHERE "id" = ${id} FOR UPDATE`;
      }
    },
    isRetryable,
    async close() {
      await listener.stop();
      await closePool();
    },
  };
}
