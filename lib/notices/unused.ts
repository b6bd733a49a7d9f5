import "server-only";
import { recordEvent } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { enqueueNotice } from "./outbox";

const DAY_MS = 86_400_000;

/**
 * The tenants' "Revoke keys unused for N days": revokes active keys whose last use (or, never
 * used, creation) is older than that, each with `api-key.revoked` by Keyward and a notice to its
 * owner. Returns how many were revoked.
 */
export async function revokeUnusedKeys(now: Date, batch: number): Promise<number> {
  const tenants = await db.tenant.findMany({
    where: { revokeUnusedAfterDays: { not: null } },
    select: { id: true, revokeUnusedAfterDays: true },
  });
  let revoked = 0;
  for (const tenant of tenants) {
    const days = tenant.revokeUnusedAfterDays!;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const keys = await db.apiKey.findMany({
      where: {
        tenantId: tenant.id,
        revokedAt: null,
        expiresAt: { gt: now },
        OR: [{ lastUsedAt: { lt: cutoff } }, { lastUsedAt: null, createdAt: { lt: cutoff } }],
      },
      select: { id: true, tenantId: true, ownerId: true, description: true, lastUsedAt: true },
      take: batch,
    });
    for (const key of keys) {
      const done = await withTransaction(async (tx) => {
        // Used or revoked since it was read: left alone.
        const { count } = await tx.apiKey.updateMany({
          where: {
            id: key.id,
            revokedAt: null,
            OR: [{ lastUsedAt: { lt: cutoff } }, { lastUsedAt: null }],
          },
          data: { revokedAt: now },
        });
        if (count === 0) return false;
        await recordEvent(
          tx,
          { tenantId: key.tenantId, userId: null, via: "system", ip: null, userAgent: null },
          {
            eventType: "api-key.revoked",
            apiKeyId: key.id,
            data: {
              description: key.description,
              ownerId: key.ownerId,
              reason: "unused",
              unusedDays: days,
              lastUsed: key.lastUsedAt?.toISOString() ?? null,
            },
          },
        );
        await enqueueNotice(tx, key, "unused-revoked");
        return true;
      });
      if (done) revoked++;
    }
  }
  return revoked;
}
