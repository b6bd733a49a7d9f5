import "server-only";
import { db, type Tx } from "@/lib/db";
import { isDatabaseRefusal } from "@/lib/db/errors";
import { newId } from "@/lib/ids";
import { mailConfigured } from "@/lib/mail";
import type { NoticeKind } from "./kinds";

/**
 * Puts a notice for the key's owner in the outbox, in the caller's transaction: the change and the
 * promise to tell of it commit together. At most one per key and kind, however often it is asked.
 */
export async function enqueueNotice(
  tx: Tx,
  key: { id: string; tenantId: string; ownerId: string },
  kind: NoticeKind,
): Promise<void> {
  await tx.notice.upsert({
    where: { apiKeyId_kind: { apiKeyId: key.id, kind } },
    create: { id: newId(), tenantId: key.tenantId, userId: key.ownerId, apiKeyId: key.id, kind },
    update: {},
  });
}

/**
 * Puts a notice in the outbox outside any transaction, as the notify job does for what it finds
 * due. True when it was made; false when the owner was already told (the unique key and kind) or
 * the key is gone since the job read it (deleted meanwhile: nothing to tell of).
 */
export async function noticeOnce(
  key: { id: string; tenantId: string; ownerId: string },
  kind: NoticeKind,
): Promise<boolean> {
  try {
    await db.notice.create({
      data: { id: newId(), tenantId: key.tenantId, userId: key.ownerId, apiKeyId: key.id, kind },
    });
    return true;
  } catch (error) {
    if (isDatabaseRefusal(error, "P2002", "P2003")) return false;
    throw error;
  }
}

/**
 * Mails what is pending now rather than at the next scheduled run, after a commit that enqueued a
 * notice. Best effort: the job (under its lease) sends whatever this leaves.
 */
export function deliverNoticesSoon(): void {
  if (!mailConfigured()) return;
  void import("./job")
    .then(({ runNotifyJob }) => runNotifyJob({ deliverOnly: true }))
    .catch((error) => console.error("[keyward] sending notices failed; the job retries", error));
}
