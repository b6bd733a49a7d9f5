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

/** Events written per INSERT: well under SQLite's limit of bound values at 14 columns each. */
const INSERT_CHUNK = 50;

/**
 * Appends an event to the tenant's log inside the caller's transaction, so that the change and its
 * record commit or fail together, and moves the tenant's signed head (AuditHead) to it. Never pass
 * tokens, digests or passwords in `data`.
 */
export async function recordEvent(tx: Tx, actor: Actor, input: AuditEventInput): Promise<void> {
  await recordEvents(tx, actor, [input]);
}

/**
 * Appends several events in their order, as recordEvent does one: the tenant locked and its head
 * read once, each event chained to the one before, written in a few inserts, the head moved once.
 * Deleting or revoking a thousand keys costs a handful of statements, not four thousand.
 */
export async function recordEvents(tx: Tx, actor: Actor, inputs: AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await lockRow(tx, "Tenant", actor.tenantId);
  const last = await tx.auditEvent.findFirst({
    where: { tenantId: actor.tenantId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const key = auditKey();
  const eventTime = new Date();
  let prevHash = last?.hash ?? GENESIS_HASH;
  let seq = last?.seq ?? 0;
  const rows = inputs.map((input) => {
    const content = {
      id: newId(),
      tenantId: actor.tenantId,
      seq: ++seq,
      eventType: input.eventType,
      eventTime,
      userId: actor.userId,
      apiKeyId: input.apiKeyId ?? null,
      source: actor.via === "apiKey" ? "api" : actor.via === "system" ? "system" : "console",
      ip: actor.ip ?? null,
      userAgent: actor.userAgent?.slice(0, 512) ?? null,
      data: JSON.stringify(input.data),
    };
    const hash = eventHash(key, prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await tx.auditEvent.createMany({ data: rows.slice(start, start + INSERT_CHUNK) });
  }
  const head = { tenantId: actor.tenantId, seq, hash: prevHash, signedAt: eventTime };
  const signature = checkpointSignature(key, head);
  await tx.auditHead.upsert({
    where: { tenantId: head.tenantId },
    create: { ...head, signature },
    update: { seq: head.seq, hash: head.hash, signedAt: head.signedAt, signature },
  });
}
