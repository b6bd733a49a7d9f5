import "server-only";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import { compareDurationsFrom, humanizeIsoDuration, parseIsoDuration } from "./duration";
import { statusWhere } from "./status";

/** What the profile page needs to say whether, and how, the caller may generate a key. */
export interface KeyQuota {
  enabled: boolean;
  isDeveloper: boolean;
  /** The tenant's maximum expiry, an ISO-8601 duration. */
  maxExpiry: string;
  maxKeysPerUser: number;
  activeCount: number;
}

/** The caller's own standing against their tenant's API-key settings. */
export async function getKeyQuota(principal: Principal): Promise<KeyQuota> {
  const now = new Date();
  const [tenant, activeCount] = await Promise.all([
    db.tenant.findUnique({
      where: { id: principal.tenantId },
      select: { apiKeysEnabled: true, maxApiKeyExpiry: true, maxKeysPerUser: true },
    }),
    db.apiKey.count({
      where: {
        tenantId: principal.tenantId,
        ownerId: principal.userId,
        ...statusWhere("active", now),
      },
    }),
  ]);
  if (!tenant) throw new NotFound("Tenant not found.");
  return {
    enabled: tenant.apiKeysEnabled,
    isDeveloper: hasRole(principal, "Developer"),
    maxExpiry: tenant.maxApiKeyExpiry,
    maxKeysPerUser: tenant.maxKeysPerUser,
    activeCount,
  };
}

export interface ExpiryChoice {
  /** ISO-8601 duration sent to `createApiKey`. */
  value: string;
  label: string;
}

const EXPIRY_PRESETS: ExpiryChoice[] = [
  { value: "P1D", label: "1 day" },
  { value: "P7D", label: "7 days" },
  { value: "P30D", label: "30 days" },
  { value: "P90D", label: "90 days" },
  { value: "P1Y", label: "1 year" },
];

/** The preset expirations the tenant's maximum allows, and that maximum in words. */
export function expiryChoices(
  maxExpiry: string,
  now = new Date(),
): { choices: ExpiryChoice[]; maxLabel: string } {
  const max = parseIsoDuration(maxExpiry);
  const choices = max
    ? EXPIRY_PRESETS.filter(
        (preset) => compareDurationsFrom(now, parseIsoDuration(preset.value)!, max) <= 0,
      )
    : [];
  return { choices, maxLabel: humanizeIsoDuration(maxExpiry) };
}
