import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { auth } from "@/auth";
import { Unauthorized } from "@/lib/errors";
import { safeCallbackUrl } from "./callback-url";
import { clientAddress } from "./client-address";
import { hasRole, type Principal, type Role } from "./principal";
import { loadActiveUser, type SessionUser } from "./users";

export interface SessionContext {
  principal: Principal;
  user: SessionUser;
}

export async function requestMetadata(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  return { ip: clientAddress(h), userAgent: h.get("user-agent") };
}

/** The session cookie's user, re-read from the database: null when signed out, disabled or gone. */
async function contextFor(userId: string): Promise<SessionContext | null> {
  const user = await loadActiveUser(userId);
  if (!user) return null;
  const meta = await requestMetadata();
  return {
    user,
    principal: {
      userId: user.id,
      tenantId: user.tenantId,
      roles: user.roles,
      via: "session",
      ...meta,
    },
  };
}

/** The signed-in user, re-read from the database on every call; null when signed out or disabled. */
export async function getSession(): Promise<SessionContext | null> {
  const userId = (await auth())?.user?.id;
  return userId ? contextFor(userId) : null;
}

/** For pages: the session, or off to sign-in (and back to `path` afterwards). */
export async function requirePageSession(path: string, role?: Role): Promise<SessionContext> {
  const userId = (await auth())?.user?.id;
  const callbackUrl = encodeURIComponent(safeCallbackUrl(path));
  if (!userId) redirect(`/login?callbackUrl=${callbackUrl}`);
  const context = await contextFor(userId);
  // A session cookie whose user was disabled or removed: clear it now, not when it expires.
  if (!context) redirect(`/logout?reason=disabled&callbackUrl=${callbackUrl}`);
  if (role && !hasRole(context.principal, role)) forbidden();
  return context;
}

/** For server actions, which are public POST endpoints: re-check who is calling. */
export async function requireActionPrincipal(): Promise<Principal> {
  const context = await getSession();
  if (!context) throw new Unauthorized("Your session has ended. Sign in again.");
  return context.principal;
}
