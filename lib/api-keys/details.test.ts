import { describe, expect, it } from "vitest";
import { listApiKeyAuditEvents } from "@/lib/audit/query";
import { db } from "@/lib/db";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { searchTenantApiKeys } from "./admin-search";
import { getApiKeyDetails } from "./details";
import { createApiKey, listOwnApiKeys, renameApiKey, revokeApiKeys } from "./service";
import { verifyApiKeyToken } from "./verify";

const HOUR = 3_600_000;

async function tenantWithKey() {
  const tenant = await createTenant();
  const owner = await createUser(tenant.id, { developer: true });
  const admin = principalOf(await createUser(tenant.id, { admin: true }));
  const { key, token } = await createApiKey(principalOf(owner), { description: "Nightly export" });
  return { tenant, owner, admin, key, token };
}

describe("getApiKeyDetails", () => {
  it("shows a key to its owner on the profile and to the tenant's admins, to no one else", async () => {
    const { tenant, owner, admin, key } = await tenantWithKey();
    const mine = await getApiKeyDetails(principalOf(owner), key.id, "own");
    expect(mine.key).toMatchObject({ id: key.id, description: "Nightly export", status: "active" });
    expect((await getApiKeyDetails(admin, key.id, "tenant")).key.id).toBe(key.id);

    // On the profile only one's own keys: an admin of the tenant finds another's key there not.
    await expect(getApiKeyDetails(admin, key.id, "own")).rejects.toBeInstanceOf(NotFound);
    const colleague = principalOf(await createUser(tenant.id, { developer: true }));
    await expect(getApiKeyDetails(colleague, key.id, "own")).rejects.toBeInstanceOf(NotFound);
    await expect(getApiKeyDetails(colleague, key.id, "tenant")).rejects.toBeInstanceOf(Forbidden);
    await expect(listApiKeyAuditEvents(colleague, key.id)).rejects.toBeInstanceOf(NotFound);

    // Another tenant's admin finds nothing, as for a key that does not exist.
    const other = await createTenant();
    const otherAdmin = principalOf(await createUser(other.id, { admin: true }));
    await expect(getApiKeyDetails(otherAdmin, key.id, "tenant")).rejects.toBeInstanceOf(NotFound);
    expect((await listApiKeyAuditEvents(otherAdmin, key.id)).data).toEqual([]);
    await expect(getApiKeyDetails(admin, "not-a-key", "tenant")).rejects.toBeInstanceOf(Invalid);
  });

  it("counts the key's own usage only, and lists the addresses it was last used from", async () => {
    const { tenant, owner, admin, key } = await tenantWithKey();
    const { key: otherKey } = await createApiKey(principalOf(owner), { description: "Other" });
    const now = new Date("2026-11-20T10:30:00.000Z");
    const hour = (hoursAgo: number) =>
      new Date(Date.parse("2026-11-20T10:00:00.000Z") - hoursAgo * HOUR);
    const bucket = (apiKeyId: string, hoursAgo: number, requests: number, lastIp: string) => ({
      apiKeyId,
      tenantId: tenant.id,
      bucketStart: hour(hoursAgo),
      requests,
      lastUsedAt: new Date(hour(hoursAgo).getTime() + 60_000),
      lastIp,
    });
    await db.apiKeyUsage.createMany({
      data: [
        bucket(key.id, 0, 7, "10.0.0.1"),
        bucket(key.id, 1, 5, "10.0.0.2"),
        bucket(key.id, 3, 2, "10.0.0.1"),
        bucket(otherKey.id, 0, 1000, "10.9.9.9"),
      ],
    });
    const details = await getApiKeyDetails(admin, key.id, "tenant", { now });
    expect(details.usage.total).toBe(14);
    expect(details.usage.points.at(-1)).toEqual({ start: hour(0).toISOString(), requests: 7 });
    expect(details.addresses.map((address) => address.ip)).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(details.addresses[0].lastUsedAt).toBe(
      new Date(hour(0).getTime() + 60_000).toISOString(),
    );
  });

  it("lists the key's events, newest first, to its owner and to admins", async () => {
    const { owner, admin, key } = await tenantWithKey();
    const { key: otherKey } = await createApiKey(principalOf(owner), { description: "Other" });
    await renameApiKey(principalOf(owner), key.id, "Nightly export v2");
    await revokeApiKeys(admin, [key.id]);
    const expected = ["api-key.revoked", "api-key.updated", "api-key.created"];
    for (const [viewer, scope] of [
      [principalOf(owner), "own"],
      [admin, "tenant"],
    ] as const) {
      const details = await getApiKeyDetails(viewer, key.id, scope);
      expect(details.events.data.map((event) => event.eventType)).toEqual(expected);
      expect(details.events.data.every((event) => event.apiKeyId === key.id)).toBe(true);
      expect(details.key.status).toBe("revoked");
      expect(details.revokedBy).toMatchObject({ email: expect.any(String) });
    }
    expect(otherKey.id).not.toBe(key.id);
  });
});

describe("effective status", () => {
  /** What the key check says about a key, beside what every console view of it shows. */
  async function verdicts(
    fixture: Awaited<ReturnType<typeof tenantWithKey>>,
  ): Promise<{ check: string; page: string; profile: string; admin: string }> {
    const { owner, admin, key, token } = fixture;
    const verdict = await verifyApiKeyToken(token);
    const shown = (view: { status: string; inactiveReason?: string | null }) =>
      view.status === "active" ? (view.inactiveReason ?? "ok") : view.status;
    const page = await getApiKeyDetails(admin, key.id, "tenant");
    const profile = (await listOwnApiKeys(principalOf(owner))).find((k) => k.id === key.id);
    const listed = (await searchTenantApiKeys(admin, { search: key.id })).keys;
    return {
      check: verdict.ok ? "ok" : verdict.reason,
      page: shown(page.key),
      profile: profile ? shown(profile) : "missing",
      admin: listed.length === 1 ? shown(listed[0]) : "missing",
    };
  }

  const cases: [string, (f: Awaited<ReturnType<typeof tenantWithKey>>) => Promise<unknown>][] = [
    ["ok", async () => undefined],
    [
      "keys-disabled",
      (f) => db.tenant.update({ where: { id: f.tenant.id }, data: { apiKeysEnabled: false } }),
    ],
    [
      "owner-disabled",
      (f) => db.user.update({ where: { id: f.owner.id }, data: { disabledAt: new Date() } }),
    ],
    [
      "owner-not-developer",
      (f) => db.user.update({ where: { id: f.owner.id }, data: { isDeveloper: false } }),
    ],
    ["revoked", (f) => revokeApiKeys(f.admin, [f.key.id])],
    [
      "expired",
      (f) => db.apiKey.update({ where: { id: f.key.id }, data: { expiresAt: new Date() } }),
    ],
  ];

  it.each(cases)("shows %s wherever the key check says so", async (reason, arrange) => {
    const fixture = await tenantWithKey();
    await arrange(fixture);
    expect(await verdicts(fixture)).toEqual({
      check: reason,
      page: reason,
      profile: reason,
      admin: reason,
    });
  });

  it("names the same first reason as the key check when several apply", async () => {
    const fixture = await tenantWithKey();
    await db.tenant.update({ where: { id: fixture.tenant.id }, data: { apiKeysEnabled: false } });
    await db.user.update({
      where: { id: fixture.owner.id },
      data: { isDeveloper: false, disabledAt: new Date() },
    });
    const seen = await verdicts(fixture);
    expect(new Set(Object.values(seen))).toEqual(new Set([seen.check]));
    expect(seen.check).not.toBe("ok");
  });
});
