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

/** Why an active key is refused all the same (SPEC §1); none of these revokes it. */
export type ApiKeyInactiveReason = "owner-disabled" | "owner-not-developer" | "keys-disabled";

/** Everything the key check looks at besides the key itself. */
export interface KeyUseConditions {
  owner: { disabledAt: Date | null; isDeveloper: boolean };
  apiKeysEnabled: boolean;
}

export const INACTIVE_REASON_TEXT: Record<ApiKeyInactiveReason, string> = {
  "keys-disabled": "Inactive: keys are off for the tenant",
  "owner-disabled": "Inactive: the owner is disabled",
  "owner-not-developer": "Inactive: the owner lacks the Developer role",
};

/** Why an active key would be refused by its owner or tenant; null while they let it work. */
export function apiKeyInactiveReason(conditions: KeyUseConditions): ApiKeyInactiveReason | null {
  if (conditions.owner.disabledAt) return "owner-disabled";
  if (!conditions.owner.isDeveloper) return "owner-not-developer";
  if (!conditions.apiKeysEnabled) return "keys-disabled";
  return null;
}

/**
 * The one rule of the key check (lib/api-keys/verify.ts) and of the status the console shows:
 * why a key is refused at `now`, or null when it works.
 */
export function apiKeyRefusal(
  key: { revokedAt: Date | null; expiresAt: Date } & KeyUseConditions,
  now: Date = new Date(),
): Exclude<ApiKeyStatus, "active"> | ApiKeyInactiveReason | null {
  const status = apiKeyStatus(key, now);
  if (status !== "active") return status;
  return apiKeyInactiveReason(key);
}

/** Prisma filter for keys of one status at `now`. */
export function statusWhere(status: ApiKeyStatus, now: Date = new Date()) {
  if (status === "revoked") return { revokedAt: { not: null } };
  if (status === "expired") return { revokedAt: null, expiresAt: { lte: now } };
  return { revokedAt: null, expiresAt: { gt: now } };
}

/**
 * Prisma filter for the keys that work at `now` as far as the key itself and its owner go
 * (apiKeyRefusal in columns, apart from the tenant's switch): the keys that switching API keys
 * off stops.
 */
export function usableKeyWhere(now: Date = new Date()) {
  return { ...statusWhere("active", now), owner: { disabledAt: null, isDeveloper: true } };
}
