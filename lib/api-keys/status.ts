import type { ApiKeyStatus } from "./schemas";

/** SPEC §4: revoked if revoked; else expired once its expiry has passed; else active. */
export function apiKeyStatus(
  key: { revokedAt: Date | null; expiresAt: Date },
  now: Date = new Date(),
): ApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** Prisma filter for keys of one status at `now`. */
export function statusWhere(status: ApiKeyStatus, now: Date = new Date()) {
  if (status === "revoked") return { revokedAt: { not: null } };
  if (status === "expired") return { revokedAt: null, expiresAt: { lte: now } };
  return { revokedAt: null, expiresAt: { gt: now } };
}
