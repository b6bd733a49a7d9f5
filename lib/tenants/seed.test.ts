import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemoData } from "./seed";
import { DEMO_TENANTS } from "./demo-data";
import { verifyPassword } from "@/lib/auth/password";

async function snapshot() {
  const slugs = DEMO_TENANTS.map((tenant) => tenant.slug);
  const tenants = await db.tenant.findMany({
    where: { slug: { in: slugs } },
    orderBy: { slug: "asc" },
  });
  const tenantIds = tenants.map((tenant) => tenant.id);
  const where = { tenantId: { in: tenantIds } };
  return {
    tenants,
    users: await db.user.findMany({ where, orderBy: { email: "asc" } }),
    spaces: await db.space.findMany({ where, orderBy: { id: "asc" } }),
    apiKeys: await db.apiKey.findMany({ where, orderBy: { id: "asc" } }),
    events: await db.auditEvent.findMany({ where, orderBy: { id: "asc" } }),
  };
}

describe("demo seed", () => {
  it("creates SPEC §2's tenants and accounts, and a second run changes nothing", async () => {
    await seedDemoData(db);
    const first = await snapshot();
    await seedDemoData(db);
    const second = await snapshot();
    expect(second).toEqual(first);

    const acme = first.tenants.find((tenant) => tenant.slug === "acme")!;
    const globex = first.tenants.find((tenant) => tenant.slug === "globex")!;
    expect(acme).toMatchObject({
      apiKeysEnabled: true,
      maxApiKeyExpiry: "P90D",
      maxKeysPerUser: 5,
    });
    expect(globex.apiKeysEnabled).toBe(false);
    const byEmail = Object.fromEntries(first.users.map((user) => [user.email, user]));
    expect(byEmail["admin@acme.test"]).toMatchObject({ isTenantAdmin: true, isDeveloper: true });
    expect(byEmail["dev@acme.test"]).toMatchObject({ isTenantAdmin: false, isDeveloper: true });
    expect(byEmail["user@acme.test"]).toMatchObject({ isTenantAdmin: false, isDeveloper: false });
    expect(byEmail["admin@globex.test"]).toMatchObject({ isTenantAdmin: true, isDeveloper: false });
    expect(byEmail["dev@globex.test"].tenantId).toBe(globex.id);
    // One password for all, but each stored hash has its own salt: no two users' hashes match.
    expect(new Set(first.users.map((user) => user.passwordHash)).size).toBe(first.users.length);
    for (const user of first.users) {
      expect(await verifyPassword(user.passwordHash, "keyward-demo"), user.email).toBe(true);
    }
    expect(first.spaces.length).toBeGreaterThanOrEqual(4);
  });

  it("gives Acme sample keys once, with their events, and leaves dev@acme.test room to work", async () => {
    await seedDemoData(db);
    await seedDemoData(db);
    const { tenants, users, apiKeys, events } = await snapshot();
    const acme = tenants.find((tenant) => tenant.slug === "acme")!;
    const globex = tenants.find((tenant) => tenant.slug === "globex")!;
    const byEmail = Object.fromEntries(users.map((user) => [user.email, user]));
    const acmeKeys = apiKeys.filter((key) => key.tenantId === acme.id);
    const ownedBy = (email: string) => acmeKeys.filter((key) => key.ownerId === byEmail[email].id);

    expect(apiKeys.filter((key) => key.tenantId === globex.id)).toHaveLength(0);
    expect(ownedBy("admin@acme.test")).toHaveLength(4);
    expect(ownedBy("dev@acme.test")).toHaveLength(1);
    expect(ownedBy("user@acme.test")).toHaveLength(0);
    expect(acmeKeys.filter((key) => key.revokedAt !== null)).toHaveLength(1);
    expect(new Set(acmeKeys.map((key) => key.description)).size).toBe(acmeKeys.length);

    const created = events.filter((event) => event.eventType === "api-key.created");
    expect(created.map((event) => event.apiKeyId).sort()).toEqual(
      acmeKeys.map((key) => key.id).sort(),
    );
    expect(events.filter((event) => event.eventType === "api-key.revoked")).toHaveLength(1);
  });
});
