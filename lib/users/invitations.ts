import "server-only";
import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import { hashPassword } from "@/lib/auth/password";
import { checkPasswordStrength } from "@/lib/auth/password-strength";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import { recordEvent } from "@/lib/audit/record";
import { db, type Tx } from "@/lib/db";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { mailConfigured, sendMail } from "@/lib/mail";
import { Conflict, Invalid } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation/parse";
import { displayText } from "@/lib/validation/text";
import { lockedTenantUser, userIdSchema } from "./admin";
import { linkDigest, linkIsOpen, newLinkSecret } from "./single-use-link";

/** How long an invitation link works (SPEC §10). */
export const INVITATION_DAYS = 7;
/** The page an invitation link opens; the secret travels in its query. */
export const INVITATION_PATH = "/invitation";
const TOKEN_PREFIX = "kwi_";

type UserRecord = Prisma.UserGetPayload<object>;

const emailSchema = z
  .string({ error: "email is required." })
  .trim()
  .toLowerCase()
  .max(254, "email can be at most 254 characters.")
  .pipe(z.email({ error: "email must be an email address." }));

export const inviteSchema = z.object({
  email: emailSchema,
  name: displayText("name", { max: 256 }).optional(),
  subject: displayText("subject", { max: 256 }).optional(),
  roles: z
    .object({
      developer: z.boolean({ error: "developer must be true or false." }).default(false),
      tenantAdmin: z.boolean({ error: "tenantAdmin must be true or false." }).default(false),
    })
    .default({ developer: false, tenantAdmin: false }),
});

export type InviteInput = z.input<typeof inviteSchema>;

export interface Invited {
  user: UserRecord;
  /** "exists": the address already belongs to someone of the tenant; no link was made. */
  status: "ok" | "exists";
  /** The link's secret, shown once; only when a link was made. */
  token?: string;
}

/** The invitation link for a secret, on Keyward's public origin. */
export function invitationLink(origin: string, token: string): string {
  return `${origin}${INVITATION_PATH}?token=${encodeURIComponent(token)}`;
}

/** Ends the user's pending links and makes a new one; returns its secret. */
async function newInvitation(tx: Tx, principal: Principal, user: UserRecord): Promise<string> {
  const now = new Date();
  await tx.invitation.updateMany({
    where: { userId: user.id, endedAt: null },
    data: { endedAt: now },
  });
  const { token, digest } = newLinkSecret(TOKEN_PREFIX);
  await tx.invitation.create({
    data: {
      id: newId(),
      tenantId: user.tenantId,
      userId: user.id,
      digest,
      createdById: principal.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
    },
  });
  return token;
}

/**
 * Invites a person to the tenant (TenantAdmin): a user without password, shown as invited, and a
 * single-use link valid 7 days. An address the tenant already has answers "exists" (with `resend`,
 * a pending invitation gets a new link); an address of another tenant is refused without saying so.
 */
export async function inviteUser(
  principal: Principal,
  input: unknown,
  { resend = false }: { resend?: boolean } = {},
): Promise<Invited> {
  requireRole(principal, "TenantAdmin");
  const { email, name, subject, roles } = parseInput(inviteSchema, input);
  return withTransaction(async (tx) => {
    await lockRow(tx, "Tenant", principal.tenantId);
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing && existing.tenantId !== principal.tenantId) {
      throw new Conflict("This email address cannot be invited.");
    }
    if (existing) {
      if (!(resend && existing.invitedAt && !existing.disabledAt)) {
        return { user: existing, status: "exists" };
      }
      const token = await newInvitation(tx, principal, existing);
      await recordEvent(tx, principal, {
        eventType: "user.invited",
        data: { userId: existing.id, email, resent: true },
      });
      return { user: existing, status: "ok", token };
    }
    const user = await tx.user.create({
      data: {
        id: newId(),
        tenantId: principal.tenantId,
        email,
        name: name || email.split("@")[0],
        subject: subject || null,
        passwordHash: "",
        isDeveloper: roles.developer,
        isTenantAdmin: roles.tenantAdmin,
        invitedAt: new Date(),
      },
    });
    const token = await newInvitation(tx, principal, user);
    await recordEvent(tx, principal, {
      eventType: "user.invited",
      data: { userId: user.id, email, roles: rolesOf(user) },
    });
    return { user, status: "ok", token };
  });
}

/** A pending invitee of the tenant, locked for the change. */
async function pendingInvitee(tx: Tx, principal: Principal, userId: unknown): Promise<UserRecord> {
  const user = await lockedTenantUser(tx, principal, parseInput(userIdSchema, userId, "userId"));
  if (!user.invitedAt) throw new Conflict(`${user.email} has already joined.`);
  return user;
}

/** A new link for a pending invitee; the old one stops working. */
export async function resendInvitation(
  principal: Principal,
  userId: unknown,
): Promise<{ email: string; token: string }> {
  requireRole(principal, "TenantAdmin");
  return withTransaction(async (tx) => {
    const user = await pendingInvitee(tx, principal, userId);
    const token = await newInvitation(tx, principal, user);
    await recordEvent(tx, principal, {
      eventType: "user.invited",
      data: { userId: user.id, email: user.email, resent: true },
    });
    return { email: user.email, token };
  });
}

/** Withdraws a pending invitation: its link stops working and the invitee is removed. */
export async function revokeInvitation(
  principal: Principal,
  userId: unknown,
): Promise<{ email: string }> {
  requireRole(principal, "TenantAdmin");
  return withTransaction(async (tx) => {
    const user = await pendingInvitee(tx, principal, userId);
    await tx.user.delete({ where: { id: user.id } });
    await recordEvent(tx, principal, {
      eventType: "user.invitation.revoked",
      data: { userId: user.id, email: user.email },
    });
    return { email: user.email };
  });
}

/** The invitation behind a link, if it still works: not expired, used, resent or revoked. */
async function openInvitation(tx: Tx | typeof db, token: unknown) {
  const digest = linkDigest(TOKEN_PREFIX, token);
  if (!digest) return null;
  const invitation = await tx.invitation.findUnique({
    where: { digest },
    include: { user: { include: { tenant: { select: { name: true } } } } },
  });
  if (
    !invitation ||
    !linkIsOpen(invitation) ||
    !invitation.user.invitedAt ||
    invitation.user.disabledAt
  ) {
    return null;
  }
  return invitation;
}

/** What the invitation page shows: who is invited, and where. */
export async function describeInvitation(
  token: unknown,
): Promise<{ email: string; name: string; tenantName: string; expiresAt: string } | null> {
  const invitation = await openInvitation(db, token);
  if (!invitation) return null;
  return {
    email: invitation.user.email,
    name: invitation.user.name,
    tenantName: invitation.user.tenant.name,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

const INVITATION_REFUSED =
  "This invitation link no longer works: it was used, replaced or withdrawn, or it expired. Ask your tenant admin for a new one.";

/**
 * Accepts an invitation: the invitee's password is set (if strong enough), the link is spent, and
 * the user becomes active (`user.created`). Returns the email to sign in with.
 */
export async function acceptInvitation(
  token: unknown,
  password: unknown,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ email: string }> {
  const preview = await openInvitation(db, token);
  if (!preview) throw new Invalid(INVITATION_REFUSED, "token");
  const chosen = checkPasswordStrength(password, [preview.user.email, preview.user.name]);
  const passwordHash = await hashPassword(chosen);
  return withTransaction(async (tx) => {
    // Read again under the lock: two tabs accepting at once spend the link once.
    await lockRow(tx, "Tenant", preview.tenantId);
    const invitation = await openInvitation(tx, token);
    if (!invitation) throw new Invalid(INVITATION_REFUSED, "token");
    const now = new Date();
    await tx.invitation.update({
      where: { id: invitation.id },
      data: { acceptedAt: now, endedAt: now },
    });
    const user = await tx.user.update({
      where: { id: invitation.userId },
      data: { passwordHash, invitedAt: null },
    });
    await recordEvent(
      tx,
      { tenantId: user.tenantId, userId: user.id, via: "session", ...meta },
      {
        eventType: "user.created",
        data: { userId: user.id, email: user.email, roles: rolesOf(user), via: "invitation" },
      },
    );
    return { email: user.email };
  });
}

/**
 * Mails an invitation link where SMTP is set (SPEC §8's `KEYWARD_SMTP_URL`): "off" without it,
 * "failed" when the server refused; the admin can always copy the link instead.
 */
export async function mailInvitation(
  principal: Principal,
  email: string,
  link: string,
): Promise<"sent" | "off" | "failed"> {
  if (!mailConfigured()) return "off";
  const tenant = await db.tenant.findUnique({
    where: { id: principal.tenantId },
    select: { name: true },
  });
  try {
    await sendMail({
      to: email,
      subject: `You are invited to ${tenant?.name ?? "a tenant"} on Keyward`,
      text: [
        `You are invited to join ${tenant?.name ?? "a tenant"} on Keyward as ${email}.`,
        "",
        "Choose your password here (the link works once, for 7 days):",
        link,
        "",
        "If you did not expect this, ignore this mail: nothing happens until the link is used.",
      ].join("\n"),
    });
    return "sent";
  } catch (error) {
    console.error("[keyward] mailing an invitation failed", error);
    return "failed";
  }
}
