import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { DomainError, Forbidden } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { getSsoSettings, removeSsoSettings, updateSsoSettings } from "./settings";
import { signInWithSso, ssoClientOf, ssoTenantCookieValue, tenantOfSsoCookie } from "./sign-in";

const meta = { ip: "127.0.0.1", userAgent: "vitest" };
let domains = 0;
const newDomain = () => `d${Date.now().toString(36)}${++domains}.example.test`;

async function tenantWithSso(extra: Record<string, unknown> = {}) {
  const tenant = await createTenant();
  const admin = principalOf(await createUser(tenant.id, { admin: true }));
  const domain = newDomain();
  await updateSsoSettings(admin, {
    issuer: "https://idp.example.test",
    clientId: "keyward",
    clientSecret: "s3cret-value",
    domains: domain,
    developerGroups: "devs",
    adminGroups: "admins",
    ...extra,
  });
  return { tenant, admin, domain };
}

describe("SSO settings", () => {
  it("stores the secret sealed, shows only that one is stored, and records no secret", async () => {
    const { tenant, admin, domain } = await tenantWithSso();
    const row = await db.tenantSso.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(row.clientSecret).not.toContain("s3cret-value");
    expect((await ssoClientOf(tenant.id))?.clientSecret).toBe("s3cret-value");
    const view = await getSsoSettings(admin);
    expect(view).toMatchObject({ secretStored: true, domains: [domain], groupsClaim: "groups" });
    expect(JSON.stringify(view)).not.toContain("s3cret");
    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id } });
    expect(events.map((event) => event.eventType)).toEqual(["tenant.sso.updated"]);
    expect(JSON.stringify(events)).not.toContain("s3cret");
    expect(JSON.stringify(events)).not.toContain(row.clientSecret);
  });

  it("keeps the stored secret when none is sent, and requires one at first", async () => {
    const { tenant, admin, domain } = await tenantWithSso();
    await updateSsoSettings(admin, {
      issuer: "https://idp2.example.test",
      clientId: "k",
      domains: domain,
    });
    expect((await ssoClientOf(tenant.id))?.clientSecret).toBe("s3cret-value");
    const other = await createTenant();
    const otherAdmin = principalOf(await createUser(other.id, { admin: true }));
    await expect(
      updateSsoSettings(otherAdmin, {
        issuer: "https://i.test",
        clientId: "k",
        domains: newDomain(),
      }),
    ).rejects.toMatchObject({ code: "INVALID", field: "clientSecret" });
  });

  it("refuses a domain of another tenant, with a clear message, and changes nothing", async () => {
    const { domain } = await tenantWithSso();
    const other = await createTenant();
    const otherAdmin = principalOf(await createUser(other.id, { admin: true }));
    const attempt = updateSsoSettings(otherAdmin, {
      issuer: "https://i.test",
      clientId: "k",
      clientSecret: "x",
      domains: `${newDomain()}\n${domain}`,
    });
    await expect(attempt).rejects.toThrow(DomainError);
    await expect(attempt).rejects.toThrow(`${domain} already belongs to another tenant`);
    expect(await db.tenantSso.findUnique({ where: { tenantId: other.id } })).toBeNull();
    expect(await db.ssoDomain.count({ where: { tenantId: other.id } })).toBe(0);
  });

  it("needs a tenant admin, and a break-glass admin with a password to require SSO", async () => {
    const { tenant, admin, domain } = await tenantWithSso();
    const dev = principalOf(await createUser(tenant.id, { developer: true }));
    await expect(getSsoSettings(dev)).rejects.toThrow(Forbidden);
    await expect(
      updateSsoSettings(dev, { issuer: "https://i.test", clientId: "k", domains: newDomain() }),
    ).rejects.toThrow(Forbidden);
    const base = { issuer: "https://i.test", clientId: "k", domains: domain, required: true };
    await expect(updateSsoSettings(admin, base)).rejects.toMatchObject({
      field: "breakGlassUserId",
    });
    await expect(
      updateSsoSettings(admin, { ...base, breakGlassUserId: dev.userId }),
    ).rejects.toMatchObject({ field: "breakGlassUserId" });
    expect((await getSsoSettings(admin))?.required).toBe(false);
    await updateSsoSettings(admin, { ...base, breakGlassUserId: admin.userId });
    expect((await getSsoSettings(admin))?.required).toBe(true);
  });

  it("disconnecting frees the domains", async () => {
    const { admin, domain } = await tenantWithSso();
    await removeSsoSettings(admin);
    expect(await db.ssoDomain.findUnique({ where: { domain } })).toBeNull();
    expect(await getSsoSettings(admin)).toBeNull();
  });
});

describe("signing in with SSO", () => {
  it("creates the user at the first sign-in with the mapped roles, and updates them later", async () => {
    const { tenant, domain } = await tenantWithSso();
    const email = `new@${domain}`;
    const first = await signInWithSso(tenant.id, { sub: "s1", email, groups: ["devs"] }, meta);
    expect(first.ok).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ tenantId: tenant.id, isDeveloper: true, isTenantAdmin: false });
    expect(user.subject).toBe("s1");
    const session = await db.session.findUnique({
      where: { id: (first as { sessionId: string }).sessionId },
    });
    expect(session?.userId).toBe(user.id);
    await signInWithSso(tenant.id, { sub: "s1", email, groups: ["admins"] }, meta);
    expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      isDeveloper: false,
      isTenantAdmin: true,
    });
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, userId: user.id },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => [event.eventType, JSON.parse(event.data).via])).toEqual([
      ["user.created", "sso"],
      ["user.roles.updated", "sso"],
    ]);
  });

  it("refuses an email outside the tenant's domains, of another tenant, or disabled", async () => {
    const a = await tenantWithSso();
    const b = await tenantWithSso();
    const claims = (email: string) => ({ sub: "x", email, groups: ["admins"] });
    expect(await signInWithSso(a.tenant.id, claims("x@elsewhere.test"), meta)).toEqual({
      ok: false,
      reason: "domain",
    });
    expect(await signInWithSso(a.tenant.id, claims(`x@${b.domain}`), meta)).toEqual({
      ok: false,
      reason: "domain",
    });
    const disabled = await createUser(a.tenant.id, {}, { email: `off@${a.domain}` });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    expect(await signInWithSso(a.tenant.id, claims(disabled.email), meta)).toEqual({
      ok: false,
      reason: "disabled",
    });
    expect(
      await signInWithSso(a.tenant.id, { ...claims(`v@${a.domain}`), email_verified: false }, meta),
    ).toEqual({ ok: false, reason: "unverified" });
    expect(
      await db.user.count({ where: { email: { in: [`x@${b.domain}`, `v@${a.domain}`] } } }),
    ).toBe(0);
  });

  it("keeps the only active admin an admin when the mapping would demote them", async () => {
    const { tenant, admin, domain } = await tenantWithSso();
    const only = await createUser(tenant.id, { admin: true }, { email: `boss@${domain}` });
    // The setup's admin is disabled: `only` is the tenant's one active admin.
    await db.user.update({ where: { id: admin.userId }, data: { disabledAt: new Date() } });
    const result = await signInWithSso(
      tenant.id,
      { sub: "b", email: only.email, groups: ["devs"] },
      meta,
    );
    expect(result.ok).toBe(true);
    expect(await db.user.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({
      isTenantAdmin: true,
      isDeveloper: true,
    });
  });

  it("the tenant cookie is refused when changed or expired", () => {
    const value = ssoTenantCookieValue("tenant-a", 1_000);
    expect(tenantOfSsoCookie(value, 2_000)).toBe("tenant-a");
    expect(tenantOfSsoCookie(value.replace("tenant-a", "tenant-b"), 2_000)).toBeNull();
    expect(tenantOfSsoCookie(value, 1_000 + 11 * 60_000)).toBeNull();
    expect(tenantOfSsoCookie(undefined)).toBeNull();
  });
});

describe("requiring SSO", () => {
  it("refuses password sign-in for the tenant's users, except the break-glass admin", async () => {
    const password = "correct horse battery staple";
    const passwordHash = await hashPassword(password);
    const { tenant, admin, domain } = await tenantWithSso();
    const dev = await createUser(tenant.id, { developer: true }, { email: `dev@${domain}` });
    const outsider = await createUser(tenant.id, { developer: true });
    await db.user.updateMany({
      where: { id: { in: [admin.userId, dev.id, outsider.id] } },
      data: { passwordHash },
    });
    const signIn = (email: string) => signInWithPassword({ email, password, address: null });
    expect((await signIn(dev.email)).ok).toBe(true);
    await updateSsoSettings(admin, {
      issuer: "https://idp.example.test",
      clientId: "keyward",
      domains: domain,
      required: true,
      breakGlassUserId: admin.userId,
    });
    expect(await signIn(dev.email)).toEqual({ ok: false, waitMs: null, ssoRequired: true });
    // A user of the tenant whose address is in none of its domains is refused too.
    expect(await signIn(outsider.email)).toEqual({ ok: false, waitMs: null, ssoRequired: true });
    const adminEmail = (await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).email;
    expect((await signIn(adminEmail)).ok).toBe(true);
  });
});
