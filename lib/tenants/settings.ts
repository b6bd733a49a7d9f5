import "server-only";
import { z } from "zod";
import { recordEvent } from "@/lib/audit/record";
import { parseIsoDuration } from "@/lib/api-keys/duration";
import { usableKeyWhere } from "@/lib/api-keys/status";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { withTransaction } from "@/lib/db/transaction";
import { db } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";

/** A tenant's API-key settings, in the REST API's (Qlik Cloud's) field names. */
export interface ApiKeySettings {
  api_keys_enabled: boolean;
  max_api_key_expiry: string;
  max_keys_per_user: number;
  /** Keyward's extension: active keys unused this many days are revoked; null is off. */
  revoke_unused_after_days: number | null;
}

const KEYS_PER_USER_MESSAGE =
  "Maximum active API keys per user must be a whole number from 0 to 1000.";
const UNUSED_DAYS_MESSAGE =
  "Revoke keys unused for N days must be a whole number of days from 1 to 3650, or null (off).";
const MAX_EXPIRY_MESSAGE =
  "Maximum token expiration must be an ISO-8601 duration such as P90D (90 days) or P1Y (1 year).";

export const apiKeySettingsSchema = z.object({
  api_keys_enabled: z.boolean({ error: "Enable API keys must be true or false." }),
  max_api_key_expiry: z
    .string({ error: MAX_EXPIRY_MESSAGE })
    .trim()
    .max(64, MAX_EXPIRY_MESSAGE)
    .refine((value) => parseIsoDuration(value) !== null, { error: MAX_EXPIRY_MESSAGE }),
  max_keys_per_user: z
    .number({ error: KEYS_PER_USER_MESSAGE })
    .int(KEYS_PER_USER_MESSAGE)
    .min(0, KEYS_PER_USER_MESSAGE)
    .max(1000, KEYS_PER_USER_MESSAGE),
  revoke_unused_after_days: z
    .number({ error: UNUSED_DAYS_MESSAGE })
    .int(UNUSED_DAYS_MESSAGE)
    .min(1, UNUSED_DAYS_MESSAGE)
    .max(3650, UNUSED_DAYS_MESSAGE)
    .nullable(),
});

export const apiKeySettingsPatchSchema = apiKeySettingsSchema.partial();

function toSettings(tenant: {
  apiKeysEnabled: boolean;
  maxApiKeyExpiry: string;
  maxKeysPerUser: number;
  revokeUnusedAfterDays: number | null;
}): ApiKeySettings {
  return {
    api_keys_enabled: tenant.apiKeysEnabled,
    max_api_key_expiry: tenant.maxApiKeyExpiry,
    max_keys_per_user: tenant.maxKeysPerUser,
    revoke_unused_after_days: tenant.revokeUnusedAfterDays,
  };
}

/** Tenant admins only; another tenant's ID finds nothing. */
export async function getApiKeySettings(
  principal: Principal,
  tenantId: string,
): Promise<ApiKeySettings> {
  requireRole(principal, "TenantAdmin");
  if (tenantId !== principal.tenantId) throw new NotFound("Tenant not found.");
  const tenant = await db.tenant.findUnique({ where: { id: principal.tenantId } });
  if (!tenant) throw new NotFound("Tenant not found.");
  return toSettings(tenant);
}

/** Counting stops here, so that the settings page stays fast for a tenant with a million keys. */
export const USABLE_KEY_COUNT_CAP = 1000;

/**
 * How many keys of the tenant would stop working if API keys were switched off: active keys whose
 * owner is enabled and holds Developer, counted up to the cap (`capped`: more than `count`).
 * Tenant admins only, as the settings.
 */
export async function countUsableApiKeys(
  principal: Principal,
  tenantId: string,
): Promise<{ count: number; capped: boolean }> {
  requireRole(principal, "TenantAdmin");
  if (tenantId !== principal.tenantId) throw new NotFound("Tenant not found.");
  const count = await db.apiKey.count({
    where: { tenantId: principal.tenantId, ...usableKeyWhere() },
    take: USABLE_KEY_COUNT_CAP + 1,
  });
  return count > USABLE_KEY_COUNT_CAP
    ? { count: USABLE_KEY_COUNT_CAP, capped: true }
    : { count, capped: false };
}

/**
 * Changes some or all of the settings; they apply to keys generated afterwards. Records
 * `api-keys-config.updated` with the values before and after, in the same transaction.
 */
export async function updateApiKeySettings(
  principal: Principal,
  tenantId: string,
  patch: unknown,
): Promise<ApiKeySettings> {
  requireRole(principal, "TenantAdmin");
  if (tenantId !== principal.tenantId) throw new NotFound("Tenant not found.");
  const changes = parseInput(apiKeySettingsPatchSchema, patch);
  return withTransaction(async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: principal.tenantId } });
    if (!tenant) throw new NotFound("Tenant not found.");
    const before = toSettings(tenant);
    const updated = await tx.tenant.update({
      where: { id: tenant.id },
      data: {
        apiKeysEnabled: changes.api_keys_enabled ?? tenant.apiKeysEnabled,
        maxApiKeyExpiry: changes.max_api_key_expiry ?? tenant.maxApiKeyExpiry,
        maxKeysPerUser: changes.max_keys_per_user ?? tenant.maxKeysPerUser,
        revokeUnusedAfterDays:
          changes.revoke_unused_after_days === undefined
            ? tenant.revokeUnusedAfterDays
            : changes.revoke_unused_after_days,
      },
    });
    const after = toSettings(updated);
    await recordEvent(tx, principal, {
      eventType: "api-keys-config.updated",
      data: { before, after },
    });
    return after;
  });
}
