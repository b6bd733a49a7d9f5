import crypto from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { createUser, insertKey, type TestKey, type TestUser } from "./fixtures";

export { createTenant, insertKey, makeToken, newHexId, type TestKey } from "./fixtures";

/** A user with a working key: the usual caller of a contract test. */
export async function userWithKey(
  tenantSlug: string,
  roles: { admin?: boolean; developer?: boolean } = { developer: true },
): Promise<TestUser & { key: TestKey }> {
  const user = await createUser(tenantSlug, { developer: true, ...roles });
  return { ...user, key: await insertKey(user) };
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
