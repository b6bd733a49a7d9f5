import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { loadSessionUser, startSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db";
import { closeMail } from "@/lib/mail";
import { updateSsoSettings } from "@/lib/sso/settings";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { startMailServer, type Mailbox } from "@/test/mail-server";
import {
  changePassword,
  createPasswordResetLink,
  describePasswordReset,
  requestPasswordReset,
  resetPassword,
} from "./passwords";

const OLD = "lantern orbit pebble 41";
const NEW = "quiet harbor violin 7 meadow";
const browser = { ip: "203.0.113.20", userAgent: "vitest" };

let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailServer();
  process.env.KEYWARD_SMTP_URL = mailbox.url;
  process.env.KEYWARD_PUBLIC_URL = "https://keys.example.test";
});
afterAll(async () => {
  delete process.env.KEYWARD_SMTP_URL;
  delete process.env.KEYWARD_PUBLIC_URL;
  closeMail();
  await mailbox.close();
});

async function userWithPassword(roles: { admin?: boolean; developer?: boolean } = {}) {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, roles);
  return db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(OLD) },
  });
}

async function passwordIs(userId: string, password: string): Promise<boolean> {
  const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: userId } });
  return verifyPassword(passwordHash, password);
}

function tokenIn(text: string): string {
  const match = /reset-password\?token=([\w%-]+)/.exec(text);
  if (!match) throw new Error(`no reset link in: ${text}`);
  return decodeURIComponent(match[1]);
}

describe("changing one's password", () => {
  it("needs the current password, ends the user's other sessions and keeps this one", async () => {
    const user = await userWithPassword({ developer: true });
    const here = await startSession(user.id, browser);
    const elsewhere = await startSession(user.id, browser);
    const principal = { ...principalOf(user), sessionId: here };

    await expect(
      changePassword(principal, { current: "not it at all", next: NEW }),
    ).rejects.toMatchObject({ code: "INVALID", field: "current" });
    await expect(changePassword(principal, { current: OLD, next: "short" })).rejects.toMatchObject({
      code: "INVALID",
      field: "password",
    });
    await expect(changePassword(principal, { current: OLD, next: OLD })).rejects.toMatchObject({
      code: "INVALID",
      field: "password",
    });
    expect(await passwordIs(user.id, OLD)).toBe(true);
    expect(await loadSessionUser(elsewhere, user.id)).not.toBeNull();

    expect(await changePassword(principal, { current: OLD, next: NEW })).toEqual({
      sessionsEnded: 1,
    });
    expect(await passwordIs(user.id, NEW)).toBe(true);
    expect(await loadSessionUser(here, user.id)).not.toBeNull();
    expect(await loadSessionUser(elsewhere, user.id)).toBeNull();
    const events = await db.auditEvent.findMany({
      where: { tenantId: user.tenantId, eventType: "user.password.changed" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].data)).toMatchObject({ via: "profile", sessionsEnded: 1 });
    expect(events[0].data).not.toContain(NEW);
  });

  it("stops checking the current password after the sign-in throttle's limit", async () => {
    const user = await userWithPassword();
    const principal = { ...principalOf(user), ip: null };
    for (let attempt = 0; attempt < 10; attempt++) {
      await expect(
        changePassword(principal, { current: `wrong ${attempt}`, next: NEW }),
      ).rejects.toMatchObject({ code: "INVALID" });
    }
    // Even the right password is not checked now.
    await expect(changePassword(principal, { current: OLD, next: NEW })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(await passwordIs(user.id, OLD)).toBe(true);
  });
});

describe("forgot password", () => {
  it("mails a single-use link that sets a new password and ends every session", async () => {
    const user = await userWithPassword({ developer: true });
    const session = await startSession(user.id, browser);
    await requestPasswordReset({ email: user.email.toUpperCase(), address: "203.0.113.30" });
    const [mail] = await mailbox.waitFor(user.email);
    expect(mail.text).toContain("https://keys.example.test/reset-password?token=kwr_");
    const token = tokenIn(mail.text ?? "");
    expect(await describePasswordReset(token)).toEqual({ email: user.email });
    // Only the digest is stored.
    const stored = await db.passwordReset.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.digest).not.toContain(token.slice(4, 20));

    await expect(resetPassword(token, "password123456")).rejects.toMatchObject({
      field: "password",
    });
    await resetPassword(token, NEW, browser);
    expect(await passwordIs(user.id, NEW)).toBe(true);
    expect(await loadSessionUser(session, user.id)).toBeNull();
    // Spent: the link works once.
    expect(await describePasswordReset(token)).toBeNull();
    await expect(resetPassword(token, "another fine horse 9 sky")).rejects.toMatchObject({
      field: "token",
    });
    expect(await passwordIs(user.id, NEW)).toBe(true);
  });

  it("answers the same for unknown, disabled and invited addresses, and mails none of them", async () => {
    const known = await userWithPassword();
    const disabled = await userWithPassword();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const answers = [];
    for (const email of ["nobody-here@example.test", disabled.email, known.email]) {
      answers.push(await requestPasswordReset({ email, address: "203.0.113.31" }));
    }
    await mailbox.waitFor(known.email);
    expect(answers[0]).toEqual({ link: null });
    expect(answers[1]).toEqual({ link: null });
    expect(mailbox.to("nobody-here@example.test")).toHaveLength(0);
    expect(mailbox.to(disabled.email)).toHaveLength(0);
  });

  it("a newer link replaces the older one, and an expired link is refused", async () => {
    const user = await userWithPassword();
    const first = (await requestPasswordReset({ email: user.email, address: null })).link!;
    const second = (await requestPasswordReset({ email: user.email, address: null })).link!;
    expect(await describePasswordReset(tokenIn(first))).toBeNull();
    expect(await describePasswordReset(tokenIn(second))).toEqual({ email: user.email });
    await db.passwordReset.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(resetPassword(tokenIn(second), NEW)).rejects.toMatchObject({ field: "token" });
    expect(await passwordIs(user.id, OLD)).toBe(true);
  });

  it("is throttled per address typed, whether or not it has an account", async () => {
    // Counting is the point here, not mail.
    delete process.env.KEYWARD_SMTP_URL;
    try {
      for (const email of [`ghost-${Date.now()}@example.test`, (await userWithPassword()).email]) {
        for (let i = 0; i < 3; i++) await requestPasswordReset({ email, address: null });
        await expect(requestPasswordReset({ email, address: null })).rejects.toMatchObject({
          code: "RATE_LIMITED",
        });
      }
    } finally {
      process.env.KEYWARD_SMTP_URL = mailbox.url;
    }
  });

  it("refuses malformed input with a clear message", async () => {
    for (const email of [undefined, "", "not-an-email", 42, "a".repeat(300) + "@x.test"]) {
      await expect(requestPasswordReset({ email, address: null })).rejects.toMatchObject({
        code: "INVALID",
        field: "email",
      });
    }
    for (const token of [undefined, "", "kwr_nope", "kwi_other", "x".repeat(500)]) {
      expect(await describePasswordReset(token)).toBeNull();
      await expect(resetPassword(token, NEW)).rejects.toMatchObject({ field: "token" });
    }
  });
});

describe("an admin's reset link", () => {
  it("is for TenantAdmins, within their tenant, for people who have joined", async () => {
    const admin = await userWithPassword({ admin: true });
    const member = await createUser(admin.tenantId, { developer: true });
    const stranger = await userWithPassword({ admin: true });
    const { token } = await createPasswordResetLink(principalOf(admin), member.id);
    expect(await describePasswordReset(token)).toEqual({ email: member.email });
    await expect(createPasswordResetLink(principalOf(member), admin.id)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(createPasswordResetLink(principalOf(stranger), member.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await db.user.update({ where: { id: member.id }, data: { disabledAt: new Date() } });
    await expect(createPasswordResetLink(principalOf(admin), member.id)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // The disabled user's outstanding link stops working too.
    expect(await describePasswordReset(token)).toBeNull();
  });
});

describe("where the tenant signs in through single sign-on", () => {
  async function ssoTenant() {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const domain = `pw${Date.now().toString(36)}.example.test`;
    const member = await createUser(tenant.id, { developer: true }, { email: `dev@${domain}` });
    await db.user.updateMany({
      where: { id: { in: [admin.id, member.id] } },
      data: { passwordHash: await hashPassword(OLD) },
    });
    await updateSsoSettings(principalOf(admin), {
      issuer: "https://idp.example.test",
      clientId: "keyward",
      clientSecret: "s3cret-value",
      domains: domain,
      required: true,
      breakGlassUserId: admin.id,
    });
    return { admin, member };
  }

  it("says so instead of checking or changing a password", async () => {
    const { member } = await ssoTenant();
    await expect(
      changePassword(principalOf(member), { current: OLD, next: NEW }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/single sign-on/) });
    expect(await passwordIs(member.id, OLD)).toBe(true);
  });

  it("mails where to sign in instead of a reset link, and answers as for anyone", async () => {
    const { member } = await ssoTenant();
    expect(await requestPasswordReset({ email: member.email, address: null })).toEqual({
      link: null,
    });
    const [mail] = await mailbox.waitFor(member.email);
    expect(mail.text).toContain("Sign in with SSO");
    expect(mail.text).not.toContain("reset-password?token=");
    expect(await db.passwordReset.count({ where: { userId: member.id } })).toBe(0);
  });

  it("gives an admin no reset link for a member, but the break-glass admin keeps theirs", async () => {
    const { admin, member } = await ssoTenant();
    await expect(createPasswordResetLink(principalOf(admin), member.id)).rejects.toMatchObject({
      message: expect.stringMatching(/single sign-on/),
    });
    const { link } = await requestPasswordReset({ email: admin.email, address: null });
    expect(link).toContain("/reset-password?token=kwr_");
  });
});
