import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { loadSessionUser, startSession } from "@/lib/auth/sessions";
import { endUserSessions, listTenantUsers, setUserDisabled, setUserRoles } from "./admin";

const meta = { ip: "203.0.113.7", userAgent: "vitest" };

async function eventsOf(tenantId: string, eventType: string) {
  const events = await db.auditEvent.findMany({
    where: { tenantId, eventType },
    orderBy: { seq: "asc" },
  });
  return events.map((event) => JSON.parse(event.data) as Record<string, unknown>);
}

describe("user administration", () => {
  it("lists the tenant's users with roles, status and active keys, searchable", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true }, { name: "Ada Lovelace" });
    await createUser(
      tenant.id,
      { developer: true },
      { name: "Bob", email: `bob-${tenant.id}@x.test` },
    );
    const other = await createTenant();
    await createUser(other.id, {}, { name: "Bob" });
    const all = await listTenantUsers(principalOf(admin));
    expect(all.users.map((user) => user.name)).toEqual(["Ada Lovelace", "Bob"]);
    expect(all.users[0]).toMatchObject({ roles: ["TenantAdmin"], status: "active", activeKeys: 0 });
    // Any part of the name or email, in any case, on either engine.
    const found = await listTenantUsers(principalOf(admin), { search: `BOB-${tenant.id}` });
    expect(found.users.map((user) => user.name)).toEqual(["Bob"]);
    const byName = await listTenantUsers(principalOf(admin), { search: "loVELace" });
    expect(byName).toMatchObject({ total: 1, users: [{ name: "Ada Lovelace" }] });
  });

  it("grants and removes roles with an event carrying before and after", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const user = await createUser(tenant.id);
    const view = await setUserRoles(principalOf(admin), user.id, {
      developer: true,
      tenantAdmin: true,
    });
    expect(view.roles).toEqual(["TenantAdmin", "Developer"]);
    await setUserRoles(principalOf(admin), user.id, { developer: true, tenantAdmin: false });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored).toMatchObject({ isDeveloper: true, isTenantAdmin: false });
    const events = await eventsOf(tenant.id, "user.roles.updated");
    expect(events).toEqual([
      {
        userId: user.id,
        email: user.email,
        before: { roles: [] },
        after: { roles: ["TenantAdmin", "Developer"] },
      },
      {
        userId: user.id,
        email: user.email,
        before: { roles: ["TenantAdmin", "Developer"] },
        after: { roles: ["Developer"] },
      },
    ]);
  });

  it("lets a developer who is not an admin change nothing", async () => {
    const tenant = await createTenant();
    const developer = await createUser(tenant.id, { developer: true });
    const user = await createUser(tenant.id);
    const principal = principalOf(developer);
    await expect(listTenantUsers(principal)).rejects.toBeInstanceOf(Forbidden);
    await expect(
      setUserRoles(principal, developer.id, { developer: true, tenantAdmin: true }),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(setUserDisabled(principal, user.id, true)).rejects.toBeInstanceOf(Forbidden);
    expect(await db.user.findUniqueOrThrow({ where: { id: developer.id } })).toMatchObject({
      isTenantAdmin: false,
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt).toBeNull();
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("finds nothing of another tenant", async () => {
    const tenantA = await createTenant();
    const victim = await createUser(tenantA.id, { admin: true });
    const tenantB = await createTenant();
    const intruder = principalOf(await createUser(tenantB.id, { admin: true }));
    await expect(
      setUserRoles(intruder, victim.id, { developer: false, tenantAdmin: false }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(setUserDisabled(intruder, victim.id, true)).rejects.toBeInstanceOf(NotFound);
    expect(await db.user.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({
      isTenantAdmin: true,
      disabledAt: null,
    });
  });

  it("never leaves a tenant without an active tenant admin", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const principal = principalOf(admin);
    await expect(
      setUserRoles(principal, admin.id, { developer: false, tenantAdmin: false }),
    ).rejects.toThrow(Conflict);
    await expect(setUserDisabled(principal, admin.id, true)).rejects.toThrow(/own account/);

    // A second admin, but disabled: still the last active one when the first one is demoted.
    const second = await createUser(tenant.id, { admin: true });
    await setUserDisabled(principal, second.id, true);
    const secondPrincipal = principalOf(second);
    await expect(
      setUserRoles(secondPrincipal, admin.id, { developer: false, tenantAdmin: false }),
    ).rejects.toThrow(/at least one active tenant admin/);
    await expect(setUserDisabled(secondPrincipal, admin.id, true)).rejects.toThrow(
      /at least one active tenant admin/,
    );
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({
      isTenantAdmin: true,
      disabledAt: null,
    });

    // With another active admin, one may go.
    await setUserDisabled(principal, second.id, false);
    await setUserDisabled(principal, second.id, true);
    await setUserDisabled(principal, second.id, false);
    await setUserRoles(principal, second.id, { developer: false, tenantAdmin: false });
    expect(await eventsOf(tenant.id, "user.disabled")).toHaveLength(2);
    expect(await eventsOf(tenant.id, "user.enabled")).toEqual([
      { userId: second.id, email: second.email },
      { userId: second.id, email: second.email },
    ]);
  });
});

describe("ending a user's sessions", () => {
  async function live(sessionId: string, userId: string) {
    return (await loadSessionUser(sessionId, userId)) !== null;
  }

  it("disabling a user ends their sessions for good: enabling them again brings none back", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const user = await createUser(tenant.id, { developer: true });
    const sessions = [await startSession(user.id, meta), await startSession(user.id, meta)];
    const adminSession = await startSession(admin.id, meta);
    await setUserDisabled(principalOf(admin), user.id, true);
    await setUserDisabled(principalOf(admin), user.id, false);
    for (const session of sessions) expect(await live(session, user.id)).toBe(false);
    expect(await db.session.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect(await live(adminSession, admin.id)).toBe(true);
    // A new sign-in works as before.
    expect(await live(await startSession(user.id, meta), user.id)).toBe(true);
  });

  it("lets a tenant admin end a user's sessions, with an event, and keeps the user enabled", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const user = await createUser(tenant.id, { developer: true });
    const session = await startSession(user.id, meta);
    const adminSession = await startSession(admin.id, meta);
    expect(await endUserSessions(principalOf(admin), user.id)).toEqual({
      email: user.email,
      sessions: 1,
    });
    expect(await live(session, user.id)).toBe(false);
    expect(await live(adminSession, admin.id)).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt).toBeNull();
    expect(await eventsOf(tenant.id, "user.sessions.ended")).toEqual([
      { userId: user.id, email: user.email, sessions: 1 },
    ]);
  });

  it("refuses anyone but a tenant admin of the user's own tenant, and ends nothing", async () => {
    const tenant = await createTenant();
    const developer = await createUser(tenant.id, { developer: true });
    const user = await createUser(tenant.id);
    const session = await startSession(user.id, meta);
    const other = await createTenant();
    const intruder = await createUser(other.id, { admin: true });
    await expect(endUserSessions(principalOf(developer), user.id)).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(endUserSessions(principalOf(intruder), user.id)).rejects.toBeInstanceOf(NotFound);
    await expect(endUserSessions(principalOf(intruder), "")).rejects.toThrow(
      "User ID is required.",
    );
    expect(await live(session, user.id)).toBe(true);
    expect(
      await db.auditEvent.count({
        where: { eventType: "user.sessions.ended", tenantId: { in: [tenant.id, other.id] } },
      }),
    ).toBe(0);
  });
});
