import crypto from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedContent {
  id: string;
  tenantId: string;
  seq: number;
  eventType: string;
  eventTime: Date;
  userId: string | null;
  apiKeyId: string | null;
  source: string;
  ip: string | null;
  userAgent: string | null;
  data: string;
}

function canonical(event: ChainedContent): string {
  return JSON.stringify([
    event.id,
    event.tenantId,
    event.seq,
    event.eventType,
    event.eventTime.toISOString(),
    event.userId,
    event.apiKeyId,
    event.source,
    event.ip,
    event.userAgent,
    event.data,
  ]);
}

/**
 * Each event's hash is an HMAC-SHA-256, under the audit key, of its content and the hash before
 * it: an edit breaks the chain, and without the key nobody can compute a chain that verifies.
 */
export function eventHash(key: string, prevHash: string, event: ChainedContent): string {
  return crypto
    .createHmac("sha256", key)
    .update(prevHash)
    .update("\n")
    .update(canonical(event))
    .digest("hex");
}

/** The chain of logs written before the audit key existed: plain SHA-256. */
export function legacyEventHash(prevHash: string, event: ChainedContent): string {
  return crypto
    .createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(canonical(event))
    .digest("hex");
}

/** A tenant's head: its newest event's sequence number and hash, at the time it was signed. */
export interface AuditCheckpoint {
  tenantId: string;
  seq: number;
  hash: string;
  signedAt: Date;
}

export function checkpointSignature(key: string, head: AuditCheckpoint): string {
  return crypto
    .createHmac("sha256", key)
    .update(
      JSON.stringify([
        "keyward-audit-checkpoint",
        head.tenantId,
        head.seq,
        head.hash,
        head.signedAt.toISOString(),
      ]),
    )
    .digest("hex");
}

/** Compares signatures in constant time. */
export function signatureMatches(expected: string, found: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(found);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
