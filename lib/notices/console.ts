import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { EXPIRY_NOTICE_KINDS } from "./kinds";

export interface ExpiringKeyNotice {
  keyId: string;
  description: string;
  expiresAt: string;
}

/**
 * The caller's in-console expiry notices (SPEC §8): keys the notify job warned them about that
 * still work, soonest first. Gone once the key is regenerated past, revoked, deleted or expired.
 */
export async function expiringKeyNotices(principal: Principal): Promise<ExpiringKeyNotice[]> {
  const now = new Date();
  const notices = await db.notice.findMany({
    where: {
      userId: principal.userId,
      tenantId: principal.tenantId,
      kind: { in: [...EXPIRY_NOTICE_KINDS] },
      apiKey: { revokedAt: null, expiresAt: { gt: now } },
    },
    select: { apiKey: { select: { id: true, description: true, expiresAt: true } } },
    take: 100,
  });
  const byKey = new Map(notices.map(({ apiKey }) => [apiKey.id, apiKey]));
  return [...byKey.values()]
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
    .map((key) => ({
      keyId: key.id,
      description: key.description,
      expiresAt: key.expiresAt.toISOString(),
    }));
}
