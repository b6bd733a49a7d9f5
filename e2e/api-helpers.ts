import crypto from "node:crypto";
import { crc32 } from "node:zlib";
import type { APIResponse } from "@playwright/test";
import { createUser, e2eDb, type TestUser } from "./fixtures";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/** A token in Keyward's published format (SPEC §4), made independently of the app's code. */
export function makeToken(): string {
  let body = "kw_";
  for (const byte of crypto.randomBytes(64)) {
    if ((byte & 0x3f) < 62 && body.length < 35) body += BASE62[byte & 0x3f];
  }
  return body + base62(crc32(body), 6);
}

export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export function newHexId(): string {
  return crypto.randomBytes(12).toString("hex");
}

/** A tenant of the test's own, so that nothing it changes touches the demo tenants. */
export function createTenant(apiKeysEnabled = true): string {
  const id = newHexId();
  const now = sqliteTime(new Date());
  e2eDb()
    .prepare(
      `INSERT INTO Tenant (id, slug, name, apiKeysEnabled, maxApiKeyExpiry, maxKeysPerUser, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, 'P90D', 1000, ?, ?)`,
    )
    .run(id, `t-${id}`, `Tenant ${id.slice(0, 6)}`, apiKeysEnabled ? 1 : 0, now, now);
  return `t-${id}`;
}

export interface TestKey {
  id: string;
  token: string;
}

/** Puts a key straight into the database (its digest only, as Keyward stores it). */
export function insertKey(
  user: TestUser,
  options: { description?: string; createdAt?: Date; expiresAt?: Date; revoked?: boolean } = {},
): TestKey {
  const token = makeToken();
  const id = newHexId();
  const createdAt = options.createdAt ?? new Date();
  const expiresAt = options.expiresAt ?? new Date(Date.now() + 86_400_000);
  e2eDb()
    .prepare(
      `INSERT INTO ApiKey (id, tenantId, ownerId, description, digest, hint, createdAt, updatedAt, expiresAt, revokedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      user.tenantId,
      user.id,
      options.description ?? `key ${id.slice(0, 6)}`,
      crypto.createHash("sha256").update(token).digest("hex"),
      `kw_…${token.slice(-4)}`,
      sqliteTime(createdAt),
      sqliteTime(createdAt),
      sqliteTime(expiresAt),
      options.revoked ? sqliteTime(new Date()) : null,
    );
  return { id, token };
}

/** A user with a working key: the usual caller of a contract test. */
export async function userWithKey(
  tenantSlug: string,
  roles: { admin?: boolean; developer?: boolean } = { developer: true },
): Promise<TestUser & { key: TestKey }> {
  const user = await createUser(tenantSlug, { developer: true, ...roles });
  return { ...user, key: insertKey(user) };
}

/** Each test its own client address, so that per-IP refusal limits never cross tests. */
export function clientAddress(): string {
  const bytes = crypto.randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}

export function bearer(token: string, ip = clientAddress()): Record<string, string> {
  return { authorization: `Bearer ${token}`, "x-forwarded-for": ip };
}

/** The error body without its random traceId, for comparing refusals. */
export async function errorShape(response: APIResponse) {
  const body = (await response.json()) as { traceId?: unknown; errors: unknown[] };
  if (typeof body.traceId !== "string" || !/^[0-9a-f]{32}$/.test(body.traceId)) {
    throw new Error(`error body without a traceId: ${JSON.stringify(body)}`);
  }
  return { errors: body.errors };
}
