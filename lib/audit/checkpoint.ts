import "server-only";
import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import type { SignedCheckpoint } from "./verify";

/** A checkpoint as downloaded: JSON that `npm run audit:verify -- --checkpoint <file>` reads. */
const checkpointSchema = z.strictObject({
  tenantId: z.string().min(1),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  signedAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});

export type CheckpointFile = z.input<typeof checkpointSchema>;

export function parseCheckpoint(json: unknown): SignedCheckpoint {
  return checkpointSchema.parse(json);
}

/**
 * The caller's tenant's signed head, for an admin to keep outside Keyward: a log later cut back
 * behind it, or changed up to it, no longer verifies against it.
 */
export async function latestCheckpoint(principal: Principal): Promise<CheckpointFile> {
  requireRole(principal, "TenantAdmin", "Only a tenant admin can download audit checkpoints.");
  const head = await db.auditHead.findUnique({ where: { tenantId: principal.tenantId } });
  if (!head || head.signature === "") {
    throw new NotFound(
      "The audit log has no signed checkpoint yet: one comes with its next event.",
    );
  }
  return {
    tenantId: head.tenantId,
    seq: head.seq,
    hash: head.hash,
    signedAt: head.signedAt.toISOString(),
    signature: head.signature,
  };
}
