import "server-only";
import { recordEvent } from "@/lib/audit/record";
import { db, findSessionById, type Tx } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { NotFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { Principal } from "./principal";
import { sessionUserOf, type SessionUser } from "./users";

/** How long a sign-in lasts, from the moment it was made: the cookie's lifetime and the row's. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** A signed-in browser as the profile lists it. */
export interface SessionView {
  id: string;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  /** The session the list was asked from. */
  current: boolean;
}

/**
 * Records a sign-in; its ID goes into the session cookie, and every request checks the row, so
 * that the session can be ended on the server. The user's long-expired sessions go at the same time.
 */
export async function startSession(
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const id = newId();
  const createdAt = new Date();
  await withTransaction(async (tx) => {
    await tx.session.deleteMany({ where: { userId, expiresAt: { lt: createdAt } } });
    await tx.session.create({
      data: {
        id,
        userId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
      },
    });
  });
  return id;
}

/**
 * The user behind a session cookie, or null when the session has ended or expired, belongs to
 * someone else, or the user is disabled or gone. One read per request, kept only while nothing
 * changed (lib/db), so an ended session is refused on the very next request on every instance.
 */
export async function loadSessionUser(
  sessionId: string,
  userId: string,
): Promise<SessionUser | null> {
  const session = await findSessionById(sessionId);
  if (!session || session.userId !== userId || session.endedAt) return null;
  if (session.expiresAt.getTime() <= Date.now() || session.user.disabledAt) return null;
  return sessionUserOf(session.user);
}

/** Signs one session out; ending one that has ended already changes nothing. */
export async function endSession(sessionId: string): Promise<void> {
  await withTransaction((tx) =>
    tx.session.updateMany({
      where: { id: sessionId, endedAt: null },
      data: { endedAt: new Date() },
    }),
  );
}

/** Ends every session of a user, for good, within the caller's transaction; returns how many. */
export async function endAllSessions(tx: Tx, userId: string): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: new Date() },
  });
  return count;
}

/** "Sign out everywhere": ends every session of the caller, this one included. */
export async function signOutEverywhere(principal: Principal): Promise<number> {
  return withTransaction(async (tx) => {
    const user = await tx.user.findFirst({
      where: { id: principal.userId, tenantId: principal.tenantId },
    });
    if (!user) throw new NotFound("User not found.");
    const sessions = await endAllSessions(tx, user.id);
    await recordEvent(tx, principal, {
      eventType: "user.sessions.ended",
      data: { userId: user.id, email: user.email, sessions },
    });
    return sessions;
  });
}

/** The caller's sessions that are still going, newest first. */
export async function listOwnSessions(principal: Principal): Promise<SessionView[]> {
  const sessions = await db.session.findMany({
    where: { userId: principal.userId, endedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 100,
  });
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.id === principal.sessionId,
  }));
}
