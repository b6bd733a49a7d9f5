// Audit events written straight to the suite's database, for specs that arrange events without the
// app (the app writes through lib/audit/record.ts). Callers chain the events with lib/audit/chain.ts
// under auditKey(); this writes the rows and moves the tenant's signed head, through Prisma, on
// either engine.
import { checkpointSignature, type ChainedContent } from "../lib/audit/chain";
import type { PrismaClient } from "../lib/generated/prisma/client";

/** An event as stored: its content, the previous event's hash, and its own. */
export type AuditEventRow = ChainedContent & { prevHash: string; hash: string };

/** Where a tenant's chain ends: its last event's place and hash, or null before the first. */
export type ChainEnd = { seq: number; hash: string } | null;

/** The audit key of the suite's servers (playwright.config.ts sets it for every process). */
export function auditKey(): string {
  const key = process.env.KEYWARD_AUDIT_SECRET;
  if (!key) throw new Error("KEYWARD_AUDIT_SECRET is unset: run the specs through Playwright.");
  return key;
}

/** Attempts before a clash on the chain's (tenantId, seq) is given up. */
const ATTEMPTS = 10;

/**
 * Appends rows after the tenant's last event in one transaction; `rowsAfter` chains them from the
 * end it is given. On PostgreSQL an event the app writes meanwhile may take the same place (SQLite's
 * transactions begin immediate); the clash on (tenantId, seq) is settled by running again, as the
 * app's own writers do.
 */
export async function appendAuditEventRows(
  prisma: PrismaClient,
  tenantId: string,
  rowsAfter: (end: ChainEnd) => AuditEventRow[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const end = await tx.auditEvent.findFirst({
          where: { tenantId },
          orderBy: { seq: "desc" },
          select: { seq: true, hash: true },
        });
        const rows = rowsAfter(end);
        await tx.auditEvent.createMany({ data: rows });
        const last = rows[rows.length - 1];
        if (!last) return;
        const head = { tenantId, seq: last.seq, hash: last.hash, signedAt: last.eventTime };
        const signature = checkpointSignature(auditKey(), head);
        await tx.auditHead.upsert({
          where: { tenantId },
          create: { ...head, signature },
          update: { seq: head.seq, hash: head.hash, signedAt: head.signedAt, signature },
        });
      });
    } catch (error) {
      const clash = (error as { code?: unknown }).code === "P2002";
      if (!clash || attempt >= ATTEMPTS) throw error;
    }
  }
}
