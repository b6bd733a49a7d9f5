import "server-only";
import { recordEvent } from "@/lib/audit/record";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import { findKeyCredential } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import type { KeyCredentialRow } from "./credential";
import { apiKeyRefusal } from "./status";
import { digestApiKeyToken, isWellFormedApiKeyToken } from "./token";

export type KeyRefusal =
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "owner-disabled"
  | "owner-not-developer"
  | "keys-disabled";

export type KeyVerification =
  | { ok: true; principal: Principal }
  | { ok: false; reason: KeyRefusal; keyId?: string; tenantId?: string; ownerId?: string };

interface RequestInfo {
  ip?: string | null;
  userAgent?: string | null;
}

/** The rule the console's status shows too (./status), so that both always agree. */
function refusalOf(row: KeyCredentialRow, now: number): KeyRefusal | null {
  return apiKeyRefusal(row, new Date(now));
}

/** The verdict on a key row found (or not) by the digest of a presented token. */
function verdictOn(
  row: KeyCredentialRow | null,
  request: RequestInfo,
  now: number,
): KeyVerification {
  if (!row) return { ok: false, reason: "unknown" };
  const reason = refusalOf(row, now);
  if (reason) {
    return { ok: false, reason, keyId: row.id, tenantId: row.tenantId, ownerId: row.owner.id };
  }
  return {
    ok: true,
    principal: {
      userId: row.owner.id,
      tenantId: row.tenantId,
      roles: rolesOf(row.owner),
      via: "apiKey",
      apiKeyId: row.id,
      ip: request.ip ?? null,
      userAgent: request.userAgent ?? null,
      user: row.owner,
    },
  };
}

/**
 * The single check of a presented token: format and checksum first (no database), then one fresh
 * lookup by digest, so that revocation, deletion, expiry and disabling apply on the very next call.
 */
export async function verifyApiKeyToken(
  token: string,
  request: RequestInfo = {},
  now = Date.now(),
): Promise<KeyVerification> {
  if (!isWellFormedApiKeyToken(token)) return { ok: false, reason: "malformed" };
  return verdictOn(await findKeyCredential(digestApiKeyToken(token)), request, now);
}

/** Records `api-key.validation.failed` for a well-formed token of a known key that was refused. */
export async function recordRefusedKey(
  refusal: Extract<KeyVerification, { ok: false }>,
  request: RequestInfo,
): Promise<void> {
  if (!refusal.keyId || !refusal.tenantId) return;
  await withTransaction((tx) =>
    recordEvent(
      tx,
      {
        tenantId: refusal.tenantId!,
        userId: refusal.ownerId ?? null,
        via: "apiKey",
        ip: request.ip,
        userAgent: request.userAgent,
      },
      {
        eventType: "api-key.validation.failed",
        apiKeyId: refusal.keyId,
        data: { reason: refusal.reason },
      },
    ),
  );
}
