import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { Tx } from "@/lib/db";
import { lockRow } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { checkpointSignature, eventHash, GENESIS_HASH } from "./chain";
import { auditKey } from "./key";
import type { AuditEventType } from "./event-types";

export interface AuditEventInput {
  eventType: AuditEventType;
  apiKeyId?: string | null;
  data: Record<string, unknown>;
}

/** Who acted: a user (by session or key), or Keyward itself (`system`: the notify job, leak reports). */
export type Actor = Pick<Principal, "tenantId" | "ip" | "userAgent"> & {
  userId: string | null;
  via: Principal["via"] | "system";
};

/**
 * Appends an event to the tenant's log inside the caller's transaction, so that the change and its
 * record commit or fail together, and moves the tenant's signed head (AuditHead) to it. Never pass
 * tokens, digests or passwords in `data`.
 */
export async function recordEvent(tx: Tx, actor: Actor, input: AuditEventInput): Promise<void> {
  await lockRow(tx, "Tenant", actor.tenantId);
  const last = await tx.auditEvent.findFirst({
    where: { tenantId: actor.tenantId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = {
    id: newId(),
    tenantId: actor.tenantId,
    seq: (last?.seq ?? 0) + 1,
    eventType: input.eventType,
    eventTime: new Date(),
    userId: actor.userId,
    apiKeyId: input.apiKeyId ?? null,
    source: actor.via === "apiKey" ? "api" : actor.via === "system" ? "system" : "console",
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
    data: JSON.stringify(input.data),
  };
  const key = auditKey();
  const hash = eventHash(key, prevHash, content);
  await tx.auditEvent.create({ data: { ...content, prevHash, hash } });
  const head = { tenantId: actor.tenantId, seq: content.seq, hash, signedAt: content.eventTime };
  const signature = checkpointSignature(key, head);
  await tx.auditHead.upsert({
    where: { tenantId: head.tenantId },
    create: { ...head, signature },
    update: { seq: head.seq, hash, signedAt: head.signedAt, signature },
  });
}
