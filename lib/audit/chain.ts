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

/** Each event's hash covers its content and the hash before it, so an edit breaks the chain. */
export function eventHash(prevHash: string, event: ChainedContent): string {
  const content = JSON.stringify([
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
  return crypto.createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}
