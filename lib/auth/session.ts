import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Session } from "next-auth";
import { auth } from "@/auth";
import { Unauthorized } from "@/lib/errors";
import { HOME_PATH, REQUEST_PATH_HEADER, safeCallbackUrl } from "./callback-url";
import { clientAddress } from "./client-address";
import { hasRole, type Principal, type Role } from "./principal";
import { endSession, loadSessionUser } from "./sessions";
import type { SessionUser } from "./users";

export interface SessionContext {
  principal: Principal;
  user: SessionUser;
}

export async function requestMetadata(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  return { ip: clientAddress(h), userAgent: h.get("user-agent") };
}

/**
 * The session cookie's user, re-read from the database with its session on every call: null when
 * signed out, when the session was ended on the server, or when the user is disabled or gone.
 */
async function contextFor(session: Session): Promise<SessionContext | null> {
  const { sessionId } = session;
  // A cookie from before sessions were recorded carries no session ID: it is over.
  if (!sessionId) return null;
  const user = await loadSessionUser(sessionId, session.user.id);
  if (!user) return null;
  const meta = await requestMetadata();
  return {
    user,
    principal: {
      userId: user.id,
      tenantId: user.tenantId,
      roles: user.roles,
      via: "session",
      sessionId,
      ...meta,
    },
  };
}

/** The signed-in user, re-read from the database on every call; null when signed out or disabled. */
export async function getSession(): Promise<SessionContext | null> {
  const session = await auth();
  return session?.user?.id ? contextFor(session) : null;
}

/** For pages: the session, or off to sign-in (and back to `path` afterwards). */
export async function requirePageSession(path: string, role?: Role): Promise<SessionContext> {
  const session = await auth();
  const callbackUrl = encodeURIComponent(safeCallbackUrl(path));
  if (!session?.user?.id) redirect(`/login?callbackUrl=${callbackUrl}`);
  const context = await contextFor(session);
  // A cookie whose session was ended, or whose user was disabled or removed: clear it now.
  if (!context) redirect(`/logout/ended?callbackUrl=${callbackUrl}`);
  if (role && !hasRole(context.principal, role)) forbidden();
  return context;
}

/**
 * For layouts above a loading boundary: the same check as requirePageSession, made before the page
 * streams, so that its redirect or 403 still sets the response's status. Pages check again.
 */
export async function requireLayoutSession(role?: Role): Promise<SessionContext> {
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? HOME_PATH;
  return requirePageSession(path, role);
}

/** For server actions, which are public POST endpoints: re-check who is calling. */
export async function requireActionPrincipal(): Promise<Principal> {
  const context = await getSession();
  if (!context) throw new Unauthorized("Your session has ended. Sign in again.");
  return context.principal;
}

/** Ends the session of this request's cookie on the server, before the cookie is cleared. */
export async function endCurrentSession(): Promise<void> {
  const sessionId = (await auth())?.sessionId;
  if (sessionId) await endSession(sessionId);
}
