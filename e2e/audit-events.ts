// Audit events written straight to the suite's database, for specs that arrange events without the
// app (the app writes through lib/audit/record.ts). Callers chain the events with lib/audit/chain.ts;
// this only writes the rows, through Prisma, on either engine.
import type { ChainedContent } from "../lib/audit/chain";
import type { PrismaClient } from "../lib/generated/prisma/client";

/** An event as stored: its content, the previous event's hash, and its own. */
export type AuditEventRow = ChainedContent & { prevHash: string; hash: string };

/** Where a tenant's chain ends: its last event's place and hash, or null before the first. */
export type ChainEnd = { seq: number; hash: string } | null;

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
        await tx.auditEvent.createMany({ data: rowsAfter(end) });
      });
    } catch (error) {
      const clash = (error as { code?: unknown }).code === "P2002";
      if (!clash || attempt >= ATTEMPTS) throw error;
    }
  }
}
