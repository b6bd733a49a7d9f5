import "server-only";
import { recordEvent, recordEvents } from "@/lib/audit/record";
import { requireRole } from "@/lib/auth/guards";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { db, type Tx } from "@/lib/db";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { Conflict, Forbidden, Invalid, LimitReached, NotFound } from "@/lib/errors";
import { gracePeriodMilliseconds, resolveKeyExpiry } from "./duration";
import {
  KEY_OWNER_SELECT,
  toApiKeyDto,
  toApiKeyView,
  type ApiKeyDto,
  type ApiKeyView,
} from "./dto";
import { deliverNoticesSoon, enqueueNotice } from "@/lib/notices/outbox";
import { parseInput } from "@/lib/validation/parse";
import {
  apiKeyIdListSchema,
  apiKeyIdSchema,
  createApiKeySchema,
  descriptionSchema,
  regenerateApiKeySchema,
} from "./schemas";
import { apiKeyStatus, statusWhere } from "./status";
import { apiKeyTokenHint, digestApiKeyToken, generateApiKeyId, generateApiKeyToken } from "./token";

export const KEYS_DISABLED_MESSAGE =
  "API keys are disabled for this tenant. A tenant admin can enable them in Administration → Settings.";

function limitMessage(max: number): string {
  if (max === 0) return "This tenant allows no active API keys per user.";
  return `You have reached the limit of ${max} active API key${max === 1 ? "" : "s"}. Delete or wait for one to expire before generating another.`;
}

/** Generates a key for the caller. The token is returned here, once, and never stored. */
export async function createApiKey(
  principal: Principal,
  input: unknown,
): Promise<{ key: ApiKeyDto; token: string }> {
  // Who may act comes before what they asked for: a caller without the role learns nothing more.
  requireRole(principal, "Developer");
  const { description, expiry } = parseInput(createApiKeySchema, input);
  const tenant = await db.tenant.findUnique({ where: { id: principal.tenantId } });
  if (!tenant) throw new NotFound();
  if (!tenant.apiKeysEnabled) throw new Forbidden(KEYS_DISABLED_MESSAGE);

  const now = new Date();
  const resolved = resolveKeyExpiry({ requested: expiry, tenantMax: tenant.maxApiKeyExpiry, now });
  if (!resolved.ok) throw new Invalid(resolved.message, "expiry");

  const key = await withTransaction(async (tx) => {
    // The count and the insert are one step: the owner's row lock serialises concurrent creates.
    await lockRow(tx, "User", principal.userId);
    const active = await tx.apiKey.count({
      where: { ownerId: principal.userId, ...statusWhere("active", now) },
    });
    if (active >= tenant.maxKeysPerUser)
      throw new LimitReached(limitMessage(tenant.maxKeysPerUser));
    return insertApiKey(tx, principal, { description, now, expiry: resolved });
  });
  return { key: toApiKeyDto(key.row, now), token: key.token };
}

/** The one way a key comes to be: its token (returned, never stored), its row, `api-key.created`. */
async function insertApiKey(
  tx: Tx,
  principal: Principal,
  options: {
    description: string;
    now: Date;
    expiry: { expiresAt: Date; duration: string };
    replacesId?: string;
  },
) {
  const { description, now, expiry, replacesId } = options;
  const token = generateApiKeyToken();
  const row = await tx.apiKey.create({
    data: {
      id: generateApiKeyId(),
      tenantId: principal.tenantId,
      ownerId: principal.userId,
      description,
      digest: digestApiKeyToken(token),
      hint: apiKeyTokenHint(token),
      createdAt: now,
      expiresAt: expiry.expiresAt,
      replacesId: replacesId ?? null,
    },
  });
  await recordEvent(tx, principal, {
    eventType: "api-key.created",
    apiKeyId: row.id,
    data: {
      description,
      expiry: row.expiresAt.toISOString(),
      requestedExpiry: expiry.duration,
      ...(replacesId ? { replaces: replacesId } : {}),
    },
  });
  return { row, token };
}

/**
 * Regenerates ("rolls") one of the caller's own active keys: a new key with the same description
 * and the expiry a new key gets now, while the old one works for the grace period at most
 * (SPEC §8). Allowed at the active-key limit, since the old key is ending.
 */
export async function regenerateApiKey(
  principal: Principal,
  id: unknown,
  input: unknown,
): Promise<{ key: ApiKeyDto; token: string; replaces: string }> {
  requireRole(principal, "Developer");
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  const { gracePeriod } = parseInput(regenerateApiKeySchema, input ?? {});
  const graceMs = gracePeriodMilliseconds(gracePeriod)!;
  const tenant = await db.tenant.findUnique({ where: { id: principal.tenantId } });
  if (!tenant) throw new NotFound();
  if (!tenant.apiKeysEnabled) throw new Forbidden(KEYS_DISABLED_MESSAGE);
  const now = new Date();
  const resolved = resolveKeyExpiry({ tenantMax: tenant.maxApiKeyExpiry, now });
  if (!resolved.ok) throw new Invalid(resolved.message, "expiry");

  const { old, created } = await withTransaction(async (tx) => {
    await lockRow(tx, "User", principal.userId);
    const old = await tx.apiKey.findFirst({
      where: { id: keyId, tenantId: principal.tenantId, ownerId: principal.userId },
    });
    if (!old) throw new NotFound("API key not found.");
    if (apiKeyStatus(old, now) !== "active") {
      throw new Conflict(
        `Only active keys can be regenerated; "${old.description}" is not active.`,
      );
    }
    // One successor per key: a key in its grace period is regenerated through its replacement.
    const successor = await tx.apiKey.findFirst({
      where: { replacesId: old.id, tenantId: principal.tenantId },
      select: { id: true },
    });
    if (successor) {
      throw new Conflict(
        `"${old.description}" was regenerated already (as ${successor.id}); regenerate that key instead.`,
      );
    }
    const graceEnd = new Date(now.getTime() + graceMs);
    const oldExpiry = old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    // Changing the row tells every instance's credential cache (lib/db), as a revocation does.
    await tx.apiKey.update({ where: { id: old.id }, data: { expiresAt: oldExpiry } });
    const created = await insertApiKey(tx, principal, {
      description: old.description,
      now,
      expiry: resolved,
      replacesId: old.id,
    });
    await recordEvent(tx, principal, {
      eventType: "api-key.regenerated",
      apiKeyId: old.id,
      data: {
        description: old.description,
        replacedBy: created.row.id,
        gracePeriod,
        expiryBefore: old.expiresAt.toISOString(),
        expiry: oldExpiry.toISOString(),
      },
    });
    return { old, created };
  });
  return { key: toApiKeyDto(created.row, now), token: created.token, replaces: old.id };
}

/** Renames one of the caller's own keys. */
export async function renameApiKey(principal: Principal, id: unknown, description: unknown) {
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  const newDescription = parseInput(descriptionSchema, description, "description");
  return withTransaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id: keyId, tenantId: principal.tenantId, ownerId: principal.userId },
    });
    if (!key) throw new NotFound("API key not found.");
    const updated = await tx.apiKey.update({
      where: { id: key.id },
      data: { description: newDescription },
    });
    await recordEvent(tx, principal, {
      eventType: "api-key.updated",
      apiKeyId: key.id,
      data: { before: { description: key.description }, after: { description: newDescription } },
    });
    return toApiKeyDto(updated);
  });
}

/** Deletes one of the caller's own keys for good; its events remain. */
export async function deleteApiKey(principal: Principal, id: unknown): Promise<void> {
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  await withTransaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id: keyId, tenantId: principal.tenantId, ownerId: principal.userId },
    });
    if (!key) throw new NotFound("API key not found.");
    await tx.apiKey.delete({ where: { id: key.id } });
    await recordEvent(tx, principal, {
      eventType: "api-key.deleted",
      apiKeyId: key.id,
      data: { description: key.description, status: apiKeyStatus(key) },
    });
  });
}

/** Deletes every key the caller owns; one event per key. Returns how many were deleted. */
export async function deleteAllApiKeys(principal: Principal): Promise<number> {
  return withTransaction(async (tx) => {
    // The owner's row locked, no key of theirs is made meanwhile: the keys read are the keys
    // deleted, selected by owner (a list of IDs would pass SQLite's limit of bound values).
    await lockRow(tx, "User", principal.userId);
    const where = { tenantId: principal.tenantId, ownerId: principal.userId };
    const keys = await tx.apiKey.findMany({ where });
    if (keys.length === 0) return 0;
    await tx.apiKey.deleteMany({ where });
    await recordEvents(
      tx,
      principal,
      keys.map((key) => ({
        eventType: "api-key.deleted" as const,
        apiKeyId: key.id,
        data: { description: key.description, status: apiKeyStatus(key), bulk: true },
      })),
    );
    return keys.length;
  });
}

/**
 * Revokes active keys of the tenant, all or none, one event per key. Tenant admins only;
 * revocation is immediate and irreversible.
 */
export async function revokeApiKeys(principal: Principal, ids: unknown): Promise<number> {
  requireRole(principal, "TenantAdmin");
  const keyIds = [...new Set(parseInput(apiKeyIdListSchema, ids, "ids"))];
  const now = new Date();
  const revoked = await withTransaction(async (tx) => {
    const keys = await tx.apiKey.findMany({
      where: { id: { in: keyIds }, tenantId: principal.tenantId },
    });
    if (keys.length !== keyIds.length) throw new NotFound("API key not found.");
    const notActive = keys.filter((key) => apiKeyStatus(key, now) !== "active");
    if (notActive.length > 0) {
      throw new Conflict(
        `Only active keys can be revoked; ${notActive.map((key) => `"${key.description}"`).join(", ")} ${notActive.length === 1 ? "is" : "are"} not active.`,
      );
    }
    await tx.apiKey.updateMany({
      where: { id: { in: keyIds }, tenantId: principal.tenantId, revokedAt: null },
      data: { revokedAt: now, revokedById: principal.userId },
    });
    await recordEvents(
      tx,
      principal,
      keys.map((key) => ({
        eventType: "api-key.revoked" as const,
        apiKeyId: key.id,
        data: { description: key.description, ownerId: key.ownerId },
      })),
    );
    for (const key of keys) {
      // The owner is told when someone else revoked their key (SPEC §8).
      if (key.ownerId !== principal.userId) await enqueueNotice(tx, key, "revoked");
    }
    return keys;
  });
  if (revoked.some((key) => key.ownerId !== principal.userId)) deliverNoticesSoon();
  return revoked.length;
}

/** REST `DELETE /api-keys/{id}`: the owner deletes; a tenant admin revokes another's key. */
export async function deleteOrRevokeApiKey(principal: Principal, id: unknown): Promise<void> {
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  const key = await db.apiKey.findFirst({ where: { id: keyId, tenantId: principal.tenantId } });
  if (!key) throw new NotFound("API key not found.");
  if (key.ownerId === principal.userId) return deleteApiKey(principal, keyId);
  if (!hasRole(principal, "TenantAdmin")) throw new NotFound("API key not found.");
  await revokeApiKeys(principal, [keyId]);
}

/** One key: visible to its owner and to the tenant's admins; anyone else finds nothing. */
export async function getApiKey(principal: Principal, id: unknown): Promise<ApiKeyDto> {
  const keyId = parseInput(apiKeyIdSchema, id, "id");
  const key = await db.apiKey.findFirst({ where: { id: keyId, tenantId: principal.tenantId } });
  if (!key || (key.ownerId !== principal.userId && !hasRole(principal, "TenantAdmin"))) {
    throw new NotFound("API key not found.");
  }
  return toApiKeyDto(key);
}

/** The caller's own keys, newest first, for the profile page. */
export async function listOwnApiKeys(principal: Principal): Promise<ApiKeyView[]> {
  const [keys, tenant] = await Promise.all([
    db.apiKey.findMany({
      where: { tenantId: principal.tenantId, ownerId: principal.userId },
      include: { owner: { select: KEY_OWNER_SELECT } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 1000,
    }),
    db.tenant.findUnique({ where: { id: principal.tenantId }, select: { apiKeysEnabled: true } }),
  ]);
  const now = new Date();
  return keys.map((key) => toApiKeyView(key, tenant?.apiKeysEnabled ?? false, now));
}
