import "server-only";
import crypto from "node:crypto";
import { recordEvent } from "@/lib/audit/record";
import { rolesOf } from "@/lib/auth/principal";
import { openSecret } from "@/lib/auth/sealed-secret";
import { authSecret } from "@/lib/auth/secret";
import { startSession } from "@/lib/auth/sessions";
import { db, type Tx } from "@/lib/db";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import { displayText } from "@/lib/validation/text";
import { emailDomain, rolesFromClaims } from "./rules";

/** The identity provider Auth.js sends a tenant's people to, with the secret opened. */
export interface SsoClient {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The tenant whose single sign-on an email's domain belongs to, or null. */
export async function ssoTenantForEmail(email: string): Promise<string | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  const row = await db.ssoDomain.findUnique({ where: { domain } });
  return row?.tenantId ?? null;
}

/** The tenant's identity provider for a sign-in, or null where none is connected. */
export async function ssoClientOf(tenantId: string): Promise<SsoClient | null> {
  const sso = await db.tenantSso.findUnique({ where: { tenantId } });
  if (!sso || !sso.clientSecret) return null;
  return {
    tenantId,
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: openSecret(sso.clientSecret, tenantId),
  };
}

/** How long the sign-in may take at the identity provider before it must start again. */
export const SSO_TENANT_COOKIE_SECONDS = 10 * 60;

function cookieMac(payload: string): string {
  const key = Buffer.from(
    crypto.hkdfSync("sha256", authSecret(), "keyward", "keyward sso tenant cookie v1", 32),
  );
  return crypto.createHmac("sha256", key).update(payload).digest("base64url");
}

/**
 * The value of the short-lived cookie that carries the chosen tenant from the sign-in page to the
 * identity provider's callback: the tenant's ID and an expiry, signed, so no one can choose
 * another tenant's provider for the callback.
 */
export function ssoTenantCookieValue(tenantId: string, now = Date.now()): string {
  const payload = `${tenantId}.${now + SSO_TENANT_COOKIE_SECONDS * 1000}`;
  return `${payload}.${cookieMac(payload)}`;
}

/** The tenant a cookie names, when it is Keyward's, unchanged and not expired. */
export function tenantOfSsoCookie(value: string | undefined, now = Date.now()): string | null {
  const [tenantId, expires, mac, ...rest] = (value ?? "").split(".");
  if (!tenantId || !expires || !mac || rest.length > 0) return null;
  const expected = cookieMac(`${tenantId}.${expires}`);
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected))) {
    return null;
  }
  return Number(expires) > now ? tenantId : null;
}

/** Why an SSO sign-in was refused; the sign-in page words each. */
export type SsoRefusal = "no-email" | "unverified" | "domain" | "disabled" | "not-configured";

export type SsoSignInResult =
  | { ok: true; userId: string; email: string; name: string; sessionId: string }
  | { ok: false; reason: SsoRefusal };

type StoredUser = NonNullable<Awaited<ReturnType<typeof db.user.findUnique>>>;

const nameSchema = displayText("name", { max: 256, required: true });

function nameFrom(claims: Record<string, unknown>, email: string): string {
  const parsed = nameSchema.safeParse(claims.name);
  return parsed.success ? parsed.data : email.split("@")[0];
}

/**
 * Applies the roles the claims give to a returning user. The tenant keeps an active admin: a
 * mapping that would take TenantAdmin from its only active admin leaves them admin.
 */
async function applyClaimedRoles(
  tx: Tx,
  user: StoredUser,
  wanted: { developer: boolean; tenantAdmin: boolean },
  actor: Parameters<typeof recordEvent>[1],
): Promise<StoredUser> {
  let tenantAdmin = wanted.tenantAdmin;
  if (user.isTenantAdmin && !tenantAdmin) {
    const others = await tx.user.count({
      where: {
        tenantId: user.tenantId,
        isTenantAdmin: true,
        disabledAt: null,
        id: { not: user.id },
      },
    });
    if (others === 0) tenantAdmin = true;
  }
  if (user.isTenantAdmin === tenantAdmin && user.isDeveloper === wanted.developer) return user;
  const updated = await tx.user.update({
    where: { id: user.id },
    data: { isTenantAdmin: tenantAdmin, isDeveloper: wanted.developer },
  });
  await recordEvent(tx, actor, {
    eventType: "user.roles.updated",
    data: {
      userId: user.id,
      email: user.email,
      before: { roles: rolesOf(user) },
      after: { roles: rolesOf(updated) },
      via: "sso",
    },
  });
  return updated;
}

/**
 * A sign-in through the tenant's identity provider, whose ID token Auth.js has checked (issuer,
 * audience, nonce, PKCE, state). The email must be in one of the tenant's domains and not belong
 * to another tenant's user; a disabled user stays out. The first sign-in creates the user
 * (`user.created`, via sso) or completes their pending invitation; every sign-in sets the roles
 * from the group claim (`user.roles.updated`). Then a session starts, as with a password.
 */
export async function signInWithSso(
  tenantId: string,
  claims: Record<string, unknown>,
  meta: { ip: string | null; userAgent: string | null },
): Promise<SsoSignInResult> {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email || email.length > 320) return { ok: false, reason: "no-email" };
  // An identity provider that says the address is unverified does not vouch for it.
  if (claims.email_verified === false) return { ok: false, reason: "unverified" };
  const domain = emailDomain(email);
  const owner = domain ? await db.ssoDomain.findUnique({ where: { domain } }) : null;
  if (!owner || owner.tenantId !== tenantId) return { ok: false, reason: "domain" };
  const outcome = await withTransaction(async (tx): Promise<SsoSignInResult | StoredUser> => {
    await lockRow(tx, "Tenant", tenantId);
    const sso = await tx.tenantSso.findUnique({ where: { tenantId } });
    if (!sso) return { ok: false, reason: "not-configured" };
    const wanted = rolesFromClaims(claims, {
      groupsClaim: sso.groupsClaim,
      developerGroups: JSON.parse(sso.developerGroups) as string[],
      adminGroups: JSON.parse(sso.adminGroups) as string[],
    });
    const subject = typeof claims.sub === "string" ? claims.sub.slice(0, 256) : null;
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing && existing.tenantId !== tenantId) return { ok: false, reason: "domain" };
    if (existing?.disabledAt) return { ok: false, reason: "disabled" };
    if (!existing) {
      const user = await tx.user.create({
        data: {
          id: newId(),
          tenantId,
          email,
          name: nameFrom(claims, email),
          subject,
          passwordHash: "",
          isDeveloper: wanted.developer,
          isTenantAdmin: wanted.tenantAdmin,
        },
      });
      const actor = { tenantId, userId: user.id, via: "session" as const, ...meta };
      await recordEvent(tx, actor, {
        eventType: "user.created",
        data: { userId: user.id, email, roles: rolesOf(user), via: "sso" },
      });
      return user;
    }
    const actor = { tenantId, userId: existing.id, via: "session" as const, ...meta };
    let user = existing;
    if (user.invitedAt) {
      // Signing in through the tenant's provider is joining: the invitation link is spent.
      const now = new Date();
      await tx.invitation.updateMany({
        where: { userId: user.id, endedAt: null },
        data: { acceptedAt: now, endedAt: now },
      });
      user = await tx.user.update({
        where: { id: user.id },
        data: { invitedAt: null, subject: user.subject ?? subject },
      });
      await recordEvent(tx, actor, {
        eventType: "user.created",
        data: { userId: user.id, email, roles: rolesOf(user), via: "sso" },
      });
    }
    return applyClaimedRoles(tx, user, wanted, actor);
  });
  if ("ok" in outcome) return outcome;
  const sessionId = await startSession(outcome.id, meta);
  return { ok: true, userId: outcome.id, email: outcome.email, name: outcome.name, sessionId };
}

/**
 * Whether password sign-in is refused for this user: their tenant requires SSO and they are not
 * its break-glass admin (who must still hold TenantAdmin).
 */
export async function ssoRequiredFor(user: {
  id: string;
  tenantId: string;
  isTenantAdmin: boolean;
}): Promise<boolean> {
  const sso = await db.tenantSso.findUnique({ where: { tenantId: user.tenantId } });
  if (!sso?.required) return false;
  return !(sso.breakGlassUserId === user.id && user.isTenantAdmin);
}

/**
 * Whether a password sign-in for this email is refused before the password is checked: its domain
 * belongs to a tenant that requires SSO, and it is not that tenant's break-glass admin. Says
 * nothing about whether the account exists.
 */
export async function ssoRequiredForEmail(email: string): Promise<boolean> {
  const tenantId = await ssoTenantForEmail(email);
  if (!tenantId) return false;
  const sso = await db.tenantSso.findUnique({ where: { tenantId } });
  if (!sso?.required) return false;
  if (!sso.breakGlassUserId) return true;
  const breakGlass = await db.user.findUnique({
    where: { id: sso.breakGlassUserId },
    select: { email: true },
  });
  return breakGlass?.email !== email;
}
