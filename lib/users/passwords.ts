import "server-only";
import { z } from "zod";
import { endAllSessions } from "@/lib/auth/sessions";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { checkPasswordStrength } from "@/lib/auth/password-strength";
import type { Principal } from "@/lib/auth/principal";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { ssoRequiredFor } from "@/lib/sso/sign-in";
import { recordEvent } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db";
import { configuredLimiter, takePoint } from "@/lib/db/rate-limit-store";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { requireRole } from "@/lib/auth/guards";
import { Conflict, Invalid, NotFound, TooManyRequests } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { mailConfigured, sendMail } from "@/lib/mail";
import { publicBaseUrl } from "@/lib/notices/mail";
import { parseInput } from "@/lib/validation/parse";
import { lockedTenantUser, userIdSchema } from "./admin";
import { linkDigest, linkIsOpen, newLinkSecret } from "./single-use-link";

/** How long a reset link works: long enough to find the mail, short enough to be worth little. */
export const RESET_MINUTES = 60;
/** The page a reset link opens; the secret travels in its query. */
export const RESET_PATH = "/reset-password";
const TOKEN_PREFIX = "kwr_";
/** Reset requests are counted over this window, as failed sign-ins are. */
const WINDOW_SECONDS = 15 * 60;

const WRONG_CURRENT = "Your current password is not right.";
const SIGNS_IN_WITH_SSO =
  "Your tenant signs in through single sign-on: your password is kept by your identity provider, not by Keyward.";
const RESET_REFUSED =
  "This reset link no longer works: it was used or replaced, or it expired. Ask for a new one.";

/** The reset link for a secret; mail points at `KEYWARD_PUBLIC_URL`, never at the Host a caller sent. */
export function resetLink(token: string, origin: string = publicBaseUrl()): string {
  return `${origin}${RESET_PATH}?token=${encodeURIComponent(token)}`;
}

/**
 * Changes the caller's own password: the current one is checked under the sign-in throttle (a
 * stolen session cannot guess it faster than the sign-in form allows), the new one must be strong,
 * and every other session of the user ends, so a browser someone else holds is signed out.
 */
export async function changePassword(
  principal: Principal,
  input: { current: unknown; next: unknown },
): Promise<{ sessionsEnded: number }> {
  if (typeof input.current !== "string" || input.current.length === 0) {
    throw new Invalid("Enter your current password.", "current");
  }
  const user = await db.user.findFirst({
    where: { id: principal.userId, tenantId: principal.tenantId },
  });
  if (!user) throw new NotFound("User not found.");
  const checked = await signInWithPassword({
    email: user.email,
    password: input.current.slice(0, 1024),
    address: principal.ip ?? null,
  });
  if (!checked.ok) {
    if (checked.ssoRequired) throw new Conflict(SIGNS_IN_WITH_SSO);
    if (checked.waitMs !== null) {
      throw new TooManyRequests(
        `Too many wrong passwords. Try again in ${Math.ceil(checked.waitMs / 60_000)} minutes.`,
        checked.waitMs,
      );
    }
    throw new Invalid(WRONG_CURRENT, "current");
  }
  const chosen = checkPasswordStrength(input.next, [user.email, user.name]);
  if (await verifyPassword(user.passwordHash, chosen)) {
    throw new Invalid("Choose a password other than your current one.", "password");
  }
  const passwordHash = await hashPassword(chosen);
  return withTransaction(async (tx) => {
    await lockRow(tx, "User", user.id);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const { count } = await tx.session.updateMany({
      where: { userId: user.id, endedAt: null, id: { not: principal.sessionId ?? "" } },
      data: { endedAt: new Date() },
    });
    await endResetLinks(tx, user.id);
    await recordEvent(tx, principal, {
      eventType: "user.password.changed",
      data: { userId: user.id, email: user.email, via: "profile", sessionsEnded: count },
    });
    return { sessionsEnded: count };
  });
}

/** Ends the user's earlier links and makes a new one; returns its secret. */
async function newResetLink(tx: Tx, userId: string, ip: string | null): Promise<string> {
  await endResetLinks(tx, userId);
  const { token, digest } = newLinkSecret(TOKEN_PREFIX);
  const now = new Date();
  await tx.passwordReset.create({
    data: {
      id: newId(),
      userId,
      digest,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_MINUTES * 60 * 1000),
      ip,
    },
  });
  return token;
}

const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** Reset requests per address typed in 15 minutes (`KEYWARD_RESET_REQUESTS_PER_ACCOUNT`, default 3). */
function accountLimiter() {
  return configuredLimiter({
    keyPrefix: "password-reset-account",
    pointsFrom: "KEYWARD_RESET_REQUESTS_PER_ACCOUNT",
    defaultPoints: 3,
    durationSeconds: WINDOW_SECONDS,
  });
}

/** Reset requests per client address in 15 minutes (`KEYWARD_RESET_REQUESTS_PER_ADDRESS`, default 20). */
function addressLimiter() {
  return configuredLimiter({
    keyPrefix: "password-reset-address",
    pointsFrom: "KEYWARD_RESET_REQUESTS_PER_ADDRESS",
    defaultPoints: 20,
    durationSeconds: WINDOW_SECONDS,
  });
}

async function endResetLinks(tx: Tx, userId: string): Promise<void> {
  await tx.passwordReset.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: new Date() },
  });
}

/**
 * "Forgot password": where the email belongs to an active user, a single-use link valid one hour
 * is mailed (an earlier link stops working). The caller learns nothing either way: the answer is
 * the same, the mail goes out after it, and every request counts against the throttle, whether or
 * not the account exists. Returns the link only to tests and scripts, never to the requester.
 */
export async function requestPasswordReset(input: {
  email: unknown;
  address: string | null;
  userAgent?: string | null;
}): Promise<{ link: string | null }> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw new Invalid("Enter your email address.", "email");
  const email = parsed.data;
  for (const [limiter, key] of [
    [accountLimiter(), email],
    [addressLimiter(), input.address],
  ] as const) {
    if (!key) continue;
    const waitMs = await takePoint(await limiter, key);
    if (waitMs !== null) {
      throw new TooManyRequests(
        `Too many reset requests. Try again in ${Math.ceil(waitMs / 60_000)} minutes.`,
        waitMs,
      );
    }
  }
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.disabledAt || user.invitedAt || !user.passwordHash) return { link: null };
  // A password would not let them in: no link, and the mail says where to sign in instead.
  if (await ssoRequiredFor(user)) {
    mailAfterAnswer(email, "Signing in to Keyward", [
      "Your tenant signs in through single sign-on, so Keyward keeps no password for you to reset.",
      `Choose "Sign in with SSO" on ${publicBaseUrl()}/login instead.`,
      "",
      "If you did not ask, you can ignore this mail.",
    ]);
    return { link: null };
  }
  const token = await withTransaction(async (tx) => {
    await lockRow(tx, "User", user.id);
    const made = await newResetLink(tx, user.id, input.address);
    await recordEvent(
      tx,
      {
        tenantId: user.tenantId,
        userId: user.id,
        via: "session",
        ip: input.address,
        userAgent: input.userAgent,
      },
      { eventType: "user.password.reset-requested", data: { userId: user.id, email, via: "mail" } },
    );
    return made;
  });
  const link = resetLink(token);
  mailAfterAnswer(email, "Reset your Keyward password", [
    `Choose a new password here (the link works once, for ${RESET_MINUTES} minutes):`,
    link,
    "",
    "If it was not you, ignore this mail: your password stays as it is.",
  ]);
  return { link };
}

/**
 * The mail answering a reset request, where mail is set up. Sent after the answer is decided and
 * not waited for, so that the answer's time does not tell who has an account.
 */
function mailAfterAnswer(email: string, subject: string, lines: string[]): void {
  if (!mailConfigured()) return;
  const text = [`Someone asked to reset the password of ${email} on Keyward.`, "", ...lines];
  void sendMail({ to: email, subject, text: text.join("\n") }).catch((error) =>
    console.error(`[keyward] mailing "${subject}" failed`, error),
  );
}

/**
 * A reset link an admin copies for someone of the tenant (TenantAdmin), for when mail is off or
 * did not arrive: the same single-use, one-hour link that "Forgot password" mails. Returns its secret.
 */
export async function createPasswordResetLink(
  principal: Principal,
  userId: unknown,
): Promise<{ email: string; token: string }> {
  requireRole(principal, "TenantAdmin");
  return withTransaction(async (tx) => {
    const user = await lockedTenantUser(tx, principal, parseInput(userIdSchema, userId, "userId"));
    if (user.invitedAt) {
      throw new Conflict(`${user.email} has not joined yet: copy a new invitation link instead.`);
    }
    if (user.disabledAt) throw new Conflict(`${user.email} is disabled: enable them first.`);
    if (await ssoRequiredFor(user)) {
      throw new Conflict(
        `${user.email} signs in through single sign-on: a password would not let them in.`,
      );
    }
    const token = await newResetLink(tx, user.id, principal.ip ?? null);
    await recordEvent(tx, principal, {
      eventType: "user.password.reset-requested",
      data: { userId: user.id, email: user.email, via: "admin" },
    });
    return { email: user.email, token };
  });
}

/** The reset behind a link, if it still works: not expired, used or replaced, its user active. */
async function openReset(tx: Tx | typeof db, token: unknown) {
  const digest = linkDigest(TOKEN_PREFIX, token);
  if (!digest) return null;
  const reset = await tx.passwordReset.findUnique({
    where: { digest },
    include: { user: true },
  });
  if (!reset || !linkIsOpen(reset) || reset.user.disabledAt || reset.user.invitedAt) return null;
  return reset;
}

/** What the reset page shows: whose password is being set, or null when the link is spent. */
export async function describePasswordReset(token: unknown): Promise<{ email: string } | null> {
  const reset = await openReset(db, token);
  return reset ? { email: reset.user.email } : null;
}

/**
 * Sets a new password through a reset link: the link is spent, the password must be strong, and
 * every session of the user ends. Returns the email to sign in with.
 */
export async function resetPassword(
  token: unknown,
  password: unknown,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ email: string }> {
  const preview = await openReset(db, token);
  if (!preview) throw new Invalid(RESET_REFUSED, "token");
  const chosen = checkPasswordStrength(password, [preview.user.email, preview.user.name]);
  const passwordHash = await hashPassword(chosen);
  return withTransaction(async (tx) => {
    // Read again under the lock: two tabs using one link at once spend it once.
    await lockRow(tx, "User", preview.userId);
    const reset = await openReset(tx, token);
    if (!reset) throw new Invalid(RESET_REFUSED, "token");
    const user = await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await endResetLinks(tx, user.id);
    await tx.passwordReset.update({ where: { id: reset.id }, data: { usedAt: new Date() } });
    const sessionsEnded = await endAllSessions(tx, user.id);
    await recordEvent(
      tx,
      { tenantId: user.tenantId, userId: user.id, via: "session", ...meta },
      {
        eventType: "user.password.changed",
        data: { userId: user.id, email: user.email, via: "reset-link", sessionsEnded },
      },
    );
    return { email: user.email };
  });
}
