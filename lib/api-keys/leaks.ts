import "server-only";
import { recordEvent } from "@/lib/audit/record";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { deliverNoticesSoon, enqueueNotice } from "@/lib/notices/outbox";
import { parseInput } from "@/lib/validation/parse";
import { leakReportSchema } from "./schemas";
import { digestApiKeyToken, isWellFormedApiKeyToken } from "./token";

/** A key whose token was reported, and whether this report revoked it (else it was already). */
export interface LeakedKey {
  id: string;
  tenantId: string;
  description: string;
  hint: string;
  revokedNow: boolean;
}

interface Reporter {
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Revokes every key of which a token was reported leaked (SPEC §8, as GitHub's credential
 * revocation): the checksum is checked offline first, each key is revoked with `api-key.leaked`
 * in its own tenant, by Keyward, and its owner is told. Says nothing to the reporter; the callers
 * decide what to show.
 */
export async function revokeLeakedTokens(
  input: unknown,
  reporter: Reporter,
): Promise<{
  received: number;
  keys: LeakedKey[];
}> {
  const { tokens } = parseInput(leakReportSchema, input);
  const digests = [
    ...new Set(tokens.filter((token) => isWellFormedApiKeyToken(token)).map(digestApiKeyToken)),
  ];
  if (digests.length === 0) return { received: tokens.length, keys: [] };
  const found = await db.apiKey.findMany({
    where: { digest: { in: digests } },
    select: { id: true, tenantId: true, ownerId: true, description: true, hint: true },
  });
  const keys: LeakedKey[] = [];
  for (const key of found) {
    const revokedNow = await withTransaction(async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id: key.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) return false;
      await recordEvent(
        tx,
        {
          tenantId: key.tenantId,
          userId: null,
          via: "system",
          ip: reporter.ip ?? null,
          userAgent: reporter.userAgent ?? null,
        },
        {
          eventType: "api-key.leaked",
          apiKeyId: key.id,
          data: { description: key.description, ownerId: key.ownerId },
        },
      );
      await enqueueNotice(tx, key, "leaked");
      return true;
    });
    keys.push({
      id: key.id,
      tenantId: key.tenantId,
      description: key.description,
      hint: key.hint,
      revokedNow,
    });
  }
  if (keys.some((key) => key.revokedNow)) deliverNoticesSoon();
  return { received: tokens.length, keys };
}

/**
 * A tenant admin's `Report leaked keys`: the kw_ tokens found in pasted text are reported like
 * any other, and the admin sees what became of their own tenant's keys only.
 */
export async function reportLeakedTokensAsAdmin(
  principal: Principal,
  text: unknown,
): Promise<{ found: number; keys: LeakedKey[] }> {
  requireRole(principal, "TenantAdmin");
  const tokens = [...new Set(typeof text === "string" ? findTokens(text) : [])];
  if (tokens.length === 0) return { found: 0, keys: [] };
  const { keys } = await revokeLeakedTokens(
    { tokens: tokens.slice(0, 1000) },
    { ip: principal.ip, userAgent: principal.userAgent },
  );
  return {
    found: tokens.length,
    keys: keys.filter((key) => key.tenantId === principal.tenantId),
  };
}

/** Every kw_ token in some text, by its shape; the checksum is checked afterwards. */
export function findTokens(text: string): string[] {
  return text.match(/kw_[0-9A-Za-z]{38}(?![0-9A-Za-z])/g) ?? [];
}
