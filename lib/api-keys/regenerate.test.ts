import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Conflict, Invalid, NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { createApiKey, regenerateApiKey, revokeApiKeys } from "./service";
import { verifyApiKeyToken } from "./verify";

const HOUR_MS = 3_600_000;

async function developerWithKey(settings: Parameters<typeof createTenant>[0] = {}) {
  const tenant = await createTenant(settings);
  const user = await createUser(tenant.id, { developer: true });
  const principal = principalOf(user);
  const created = await createApiKey(principal, { description: "nightly export" });
  return { tenant, user, principal, ...created };
}

describe("regenerateApiKey", () => {
  it("makes a new key with the same description; the old one works for the grace period only", async () => {
    const { principal, key, token, tenant } = await developerWithKey();
    const before = Date.now();
    const rolled = await regenerateApiKey(principal, key.id, { gracePeriod: "PT1H" });
    expect(rolled.replaces).toBe(key.id);
    expect(rolled.key.id).not.toBe(key.id);
    expect(rolled.key.description).toBe("nightly export");
    expect(rolled.key.status).toBe("active");
    // The expiry a new key gets now under the tenant's maximum (P90D).
    expect(Date.parse(rolled.key.expiry) - before).toBeGreaterThan(89 * 24 * HOUR_MS);
    const old = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(Math.abs(old.expiresAt.getTime() - (before + HOUR_MS))).toBeLessThan(5_000);
    const created = await db.apiKey.findUniqueOrThrow({ where: { id: rolled.key.id } });
    expect(created.replacesId).toBe(key.id);

    expect((await verifyApiKeyToken(token)).ok).toBe(true);
    expect((await verifyApiKeyToken(rolled.token)).ok).toBe(true);
    expect((await verifyApiKeyToken(token, {}, before + HOUR_MS + 1000)).ok).toBe(false);

    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, eventType: "api-key.regenerated" },
    });
    expect(events).toHaveLength(1);
    expect(events[0].apiKeyId).toBe(key.id);
    expect(JSON.parse(events[0].data)).toMatchObject({ replacedBy: rolled.key.id });
  });

  it("with PT0S refuses the old key on the very next check", async () => {
    const { principal, key, token } = await developerWithKey();
    expect((await verifyApiKeyToken(token)).ok).toBe(true);
    const rolled = await regenerateApiKey(principal, key.id, { gracePeriod: "PT0S" });
    expect(await verifyApiKeyToken(token)).toMatchObject({ ok: false, reason: "expired" });
    expect((await verifyApiKeyToken(rolled.token)).ok).toBe(true);
  });

  it("defaults to a day, and never lengthens the old key's life", async () => {
    const { principal, key } = await developerWithKey({ maxApiKeyExpiry: "PT2H" });
    const before = Date.now();
    await regenerateApiKey(principal, key.id, {});
    const old = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(old.expiresAt.getTime()).toBeLessThanOrEqual(before + 2 * HOUR_MS + 1000);
  });

  it("is allowed at the active-key limit", async () => {
    const { principal, key } = await developerWithKey({ maxKeysPerUser: 1 });
    await expect(regenerateApiKey(principal, key.id, { gracePeriod: "P7D" })).resolves.toBeTruthy();
  });

  it("refuses grace periods outside PT0S–P7D and what is no duration, changing nothing", async () => {
    const { principal, key } = await developerWithKey();
    for (const gracePeriod of ["P8D", "PT169H", "P1M", "-PT1H", "1h", "", "P", 5, null]) {
      await expect(regenerateApiKey(principal, key.id, { gracePeriod })).rejects.toBeInstanceOf(
        Invalid,
      );
    }
    expect(await db.apiKey.count({ where: { ownerId: principal.userId } })).toBe(1);
  });

  it("is for the owner only, and for active keys only", async () => {
    const { principal, key, tenant } = await developerWithKey();
    const admin = await createUser(tenant.id, { admin: true, developer: true });
    await expect(regenerateApiKey(principalOf(admin), key.id, {})).rejects.toBeInstanceOf(NotFound);
    const other = await developerWithKey();
    await expect(regenerateApiKey(other.principal, key.id, {})).rejects.toBeInstanceOf(NotFound);
    await revokeApiKeys(principalOf(admin), [key.id]);
    await expect(regenerateApiKey(principal, key.id, {})).rejects.toBeInstanceOf(Conflict);
    const rolled = await developerWithKey();
    await regenerateApiKey(rolled.principal, rolled.key.id, { gracePeriod: "PT0S" });
    await expect(regenerateApiKey(rolled.principal, rolled.key.id, {})).rejects.toBeInstanceOf(
      Conflict,
    );
    // Still working for its grace period, but regenerated already: once only.
    const graced = await developerWithKey();
    await regenerateApiKey(graced.principal, graced.key.id, { gracePeriod: "PT1H" });
    await expect(regenerateApiKey(graced.principal, graced.key.id, {})).rejects.toBeInstanceOf(
      Conflict,
    );
  });
});
