import "server-only";
import { listApiKeyAuditEvents, type AuditEventPage } from "@/lib/audit/query";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import {
  DEFAULT_USAGE_PERIOD,
  keyUsageSeries,
  recentKeyAddresses,
  type KeyAddress,
  type UsagePeriod,
  type UsageSeries,
} from "@/lib/usage/stats";
import { parseInput } from "@/lib/validation/parse";
import { KEY_OWNER_SELECT, toApiKeyView, type ApiKeyView } from "./dto";
import { apiKeyIdSchema } from "./schemas";
import { apiKeyInactiveReason } from "./status";

/**
 * Whose key a page may show: `own` is the profile's (the caller's own keys only), `tenant` the
 * administration's (any key of the caller's tenant, for tenant admins) — the same rules as the
 * two lists.
 */
export type KeyPageScope = "own" | "tenant";

export const KEY_EVENTS_PAGE_SIZE = 10;

export interface ApiKeyDetails {
  key: ApiKeyView;
  /** Who revoked the key, when it was revoked by someone still in the tenant. */
  revokedBy: { name: string; email: string } | null;
  usage: UsageSeries;
  /** Addresses the key was last used from, newest first. */
  addresses: KeyAddress[];
  events: AuditEventPage;
  /** The key this one was regenerated from, and the one regenerated from it (SPEC §8). */
  replaces: LinkedKey | null;
  replacedBy: LinkedKey | null;
}

/** A key a page links to; `exists` is false once it was deleted. */
export interface LinkedKey {
  id: string;
  description: string | null;
  exists: boolean;
}

/**
 * Everything a key's page shows. Another tenant's key, and under `own` another person's, is not
 * found, exactly like a key that does not exist.
 */
export async function getApiKeyDetails(
  principal: Principal,
  id: unknown,
  scope: KeyPageScope,
  options: { period?: UsagePeriod; next?: string; prev?: string; now?: Date } = {},
): Promise<ApiKeyDetails> {
  if (scope === "tenant") requireRole(principal, "TenantAdmin");
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  const now = options.now ?? new Date();
  const row = await db.apiKey.findFirst({
    where: {
      id: keyId,
      tenantId: principal.tenantId,
      ...(scope === "own" ? { ownerId: principal.userId } : {}),
    },
    include: {
      owner: { select: KEY_OWNER_SELECT },
      tenant: { select: { apiKeysEnabled: true } },
    },
  });
  if (!row) throw new NotFound("API key not found.");
  const linkedWhere = {
    tenantId: principal.tenantId,
    ...(scope === "own" ? { ownerId: principal.userId } : {}),
  };
  const linkedSelect = { id: true, description: true } as const;
  const [revokedBy, usage, addresses, events, replaces, replacedBy] = await Promise.all([
    row.revokedById
      ? db.user.findFirst({
          where: { id: row.revokedById, tenantId: principal.tenantId },
          select: { name: true, email: true },
        })
      : null,
    keyUsageSeries(principal.tenantId, row.id, options.period ?? DEFAULT_USAGE_PERIOD, now),
    recentKeyAddresses(principal.tenantId, row.id),
    listApiKeyAuditEvents(principal, row.id, {
      limit: KEY_EVENTS_PAGE_SIZE,
      next: options.next,
      prev: options.prev,
    }),
    row.replacesId
      ? db.apiKey.findFirst({ where: { id: row.replacesId, ...linkedWhere }, select: linkedSelect })
      : null,
    db.apiKey.findFirst({
      where: { replacesId: row.id, ...linkedWhere },
      select: linkedSelect,
      orderBy: { createdAt: "desc" },
    }),
  ]);
  // The key keeps its last address itself too, and keys put in place by the seed have no buckets.
  if (row.lastUsedIp && row.lastUsedAt && !addresses.some((a) => a.ip === row.lastUsedIp)) {
    addresses.unshift({ ip: row.lastUsedIp, lastUsedAt: row.lastUsedAt.toISOString() });
  }
  return {
    key: toApiKeyView(row, row.tenant.apiKeysEnabled, now),
    revokedBy,
    usage,
    addresses,
    events,
    replaces: row.replacesId
      ? {
          id: row.replacesId,
          description: replaces?.description ?? null,
          exists: replaces !== null,
        }
      : null,
    replacedBy: replacedBy ? { ...replacedBy, exists: true } : null,
  };
}

/**
 * Adds to keys of one tenant why an active one is refused all the same (its owner or the tenant),
 * by the rule of ./status; for lists read by the engine's search, which leaves this out.
 */
export async function withInactiveReasons(
  tenantId: string,
  keys: ApiKeyView[],
): Promise<ApiKeyView[]> {
  const active = keys.filter((key) => key.status === "active");
  if (active.length === 0) return keys;
  const [tenant, owners] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId }, select: { apiKeysEnabled: true } }),
    db.user.findMany({
      where: { tenantId, id: { in: [...new Set(active.map((key) => key.ownerId))] } },
      select: { id: true, disabledAt: true, isDeveloper: true },
    }),
  ]);
  const ownerById = new Map(owners.map((owner) => [owner.id, owner]));
  return keys.map((key) => {
    const owner = ownerById.get(key.ownerId);
    if (key.status !== "active" || !owner) return { ...key, inactiveReason: null };
    const apiKeysEnabled = tenant?.apiKeysEnabled ?? false;
    return { ...key, inactiveReason: apiKeyInactiveReason({ owner, apiKeysEnabled }) };
  });
}
