import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { createApiKey, revokeApiKeys } from "@/lib/api-keys/service";
import { newId } from "@/lib/ids";
import {
  countUsableApiKeys,
  getApiKeySettings,
  updateApiKeySettings,
  USABLE_KEY_COUNT_CAP,
} from "./settings";

describe("tenant API-key settings", () => {
  it("saves valid settings and records the values before and after", async () => {
    const tenant = await createTenant({
      apiKeysEnabled: false,
      maxApiKeyExpiry: "P30D",
      maxKeysPerUser: 5,
    });
    const admin = principalOf(await createUser(tenant.id, { admin: true }));
    const after = await updateApiKeySettings(admin, tenant.id, {
      api_keys_enabled: true,
      max_api_key_expiry: " P2Y ",
      max_keys_per_user: 1000,
    });
    expect(after).toEqual({
      api_keys_enabled: true,
      max_api_key_expiry: "P2Y",
      max_keys_per_user: 1000,
      revoke_unused_after_days: null,
    });
    expect(await getApiKeySettings(admin, tenant.id)).toEqual(after);
    await updateApiKeySettings(admin, tenant.id, { max_keys_per_user: 0 });
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, eventType: "api-keys-config.updated" },
      orderBy: { seq: "asc" },
    });
    expect(JSON.parse(events[0].data)).toEqual({
      before: {
        api_keys_enabled: false,
        max_api_key_expiry: "P30D",
        max_keys_per_user: 5,
        revoke_unused_after_days: null,
      },
      after,
    });
    expect(JSON.parse(events[1].data).after.max_keys_per_user).toBe(0);
  });

  it.each([
    [{ max_keys_per_user: 1001 }, "max_keys_per_user", /whole number from 0 to 1000/],
    [{ max_keys_per_user: -1 }, "max_keys_per_user", /whole number from 0 to 1000/],
    [{ max_keys_per_user: 1.5 }, "max_keys_per_user", /whole number from 0 to 1000/],
    [{ max_keys_per_user: "5" }, "max_keys_per_user", /whole number from 0 to 1000/],
    [{ max_api_key_expiry: "90 days" }, "max_api_key_expiry", /ISO-8601 duration such as P90D/],
    [{ max_api_key_expiry: "P" }, "max_api_key_expiry", /ISO-8601 duration/],
    [{ max_api_key_expiry: "" }, "max_api_key_expiry", /ISO-8601 duration/],
    [{ max_api_key_expiry: "PT0S" }, "max_api_key_expiry", /ISO-8601 duration/],
    [{ api_keys_enabled: "yes" }, "api_keys_enabled", /true or false/],
    [{ revoke_unused_after_days: 0 }, "revoke_unused_after_days", /from 1 to 3650/],
    [{ revoke_unused_after_days: 3651 }, "revoke_unused_after_days", /from 1 to 3650/],
    [{ revoke_unused_after_days: "30" }, "revoke_unused_after_days", /from 1 to 3650/],
  ])("refuses %j with a clear message and changes nothing", async (patch, field, message) => {
    const tenant = await createTenant({ maxApiKeyExpiry: "P90D", maxKeysPerUser: 5 });
    const admin = principalOf(await createUser(tenant.id, { admin: true }));
    const error = await updateApiKeySettings(admin, tenant.id, patch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Invalid);
    expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
    expect(await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({
      maxApiKeyExpiry: "P90D",
      maxKeysPerUser: 5,
    });
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("lets only the tenant's own admins read or change them", async () => {
    const tenant = await createTenant({ apiKeysEnabled: true });
    const developer = principalOf(await createUser(tenant.id, { developer: true }));
    await expect(getApiKeySettings(developer, tenant.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(
      updateApiKeySettings(developer, tenant.id, { api_keys_enabled: false }),
    ).rejects.toBeInstanceOf(Forbidden);
    const other = await createTenant();
    const otherAdmin = principalOf(await createUser(other.id, { admin: true }));
    await expect(
      updateApiKeySettings(otherAdmin, tenant.id, { api_keys_enabled: false }),
    ).rejects.toBeInstanceOf(NotFound);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).apiKeysEnabled).toBe(
      true,
    );
  });

  it("counts the keys that switching API keys off would stop, for the tenant's admins only", async () => {
    const tenant = await createTenant({ maxKeysPerUser: 10 });
    const admin = principalOf(await createUser(tenant.id, { admin: true }));
    const developer = await createUser(tenant.id, { developer: true });
    const disabled = await createUser(tenant.id, { developer: true });
    const formerDeveloper = await createUser(tenant.id, { developer: true });
    const keys = [];
    for (const user of [developer, developer, developer, disabled, formerDeveloper]) {
      keys.push((await createApiKey(principalOf(user), { description: "k" })).key);
    }
    await revokeApiKeys(admin, [keys[1].id]);
    await db.apiKey.update({ where: { id: keys[2].id }, data: { expiresAt: new Date() } });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    await db.user.update({ where: { id: formerDeveloper.id }, data: { isDeveloper: false } });
    // Another tenant's keys never count.
    const other = await createTenant();
    await createApiKey(principalOf(await createUser(other.id, { developer: true })), {
      description: "elsewhere",
    });
    expect(await countUsableApiKeys(admin, tenant.id)).toEqual({ count: 1, capped: false });
    await expect(countUsableApiKeys(principalOf(developer), tenant.id)).rejects.toBeInstanceOf(
      Forbidden,
    );
    const otherAdmin = principalOf(await createUser(other.id, { admin: true }));
    await expect(countUsableApiKeys(otherAdmin, tenant.id)).rejects.toBeInstanceOf(NotFound);
  });

  it("stops counting past the cap, so that a tenant with a million keys is counted fast", async () => {
    const tenant = await createTenant();
    const admin = principalOf(await createUser(tenant.id, { admin: true }));
    const developer = await createUser(tenant.id, { developer: true });
    const expiresAt = new Date(Date.now() + 86_400_000);
    await db.apiKey.createMany({
      data: Array.from({ length: USABLE_KEY_COUNT_CAP + 1 }, () => {
        const id = newId();
        return {
          id,
          tenantId: tenant.id,
          ownerId: developer.id,
          description: "k",
          digest: id,
          hint: "kw_…",
          expiresAt,
        };
      }),
    });
    expect(await countUsableApiKeys(admin, tenant.id)).toEqual({
      count: USABLE_KEY_COUNT_CAP,
      capped: true,
    });
  });
});
