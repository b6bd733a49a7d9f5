import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import {
  endSession,
  listOwnSessions,
  loadSessionUser,
  signOutEverywhere,
  startSession,
} from "./sessions";

const browser = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" };

async function signedIn(user: { id: string }) {
  return startSession(user.id, browser);
}

describe("sessions", () => {
  it("answers for its user until it is signed out, and only for that user", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { developer: true });
    const other = await createUser(tenant.id);
    const session = await signedIn(user);
    const second = await signedIn(user);
    expect(await loadSessionUser(session, user.id)).toMatchObject({
      id: user.id,
      tenantId: tenant.id,
      roles: ["Developer"],
    });
    // A cookie naming another user's session gets nothing.
    expect(await loadSessionUser(session, other.id)).toBeNull();

    await endSession(session);
    expect(await loadSessionUser(session, user.id)).toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: session } })).endedAt).not.toBeNull();
    // Signing out twice changes nothing; the user's other session goes on.
    await endSession(session);
    expect(await loadSessionUser(second, user.id)).toMatchObject({ id: user.id });
  });

  it("refuses an expired or unknown session, and a disabled user's", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    const expired = await signedIn(user);
    await db.session.update({
      where: { id: expired },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await loadSessionUser(expired, user.id)).toBeNull();
    expect(await loadSessionUser("no-such-session", user.id)).toBeNull();
    const live = await signedIn(user);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await loadSessionUser(live, user.id)).toBeNull();
  });

  it("lasts eight hours from sign-in, and a later sign-in clears the user's expired rows", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    const old = await signedIn(user);
    const row = await db.session.findUniqueOrThrow({ where: { id: old } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(8 * 60 * 60 * 1000);
    expect(row).toMatchObject({ userId: user.id, ip: browser.ip, userAgent: browser.userAgent });
    await db.session.update({ where: { id: old }, data: { expiresAt: new Date(Date.now() - 1) } });
    await signedIn(user);
    expect(await db.session.findUnique({ where: { id: old } })).toBeNull();
  });

  it("is refused on the very next request once another instance ends it", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    const session = await signedIn(user);
    // Read twice, so that the row is kept.
    expect(await loadSessionUser(session, user.id)).not.toBeNull();
    expect(await loadSessionUser(session, user.id)).not.toBeNull();
    const otherInstance = await rawDatabase();
    try {
      await otherInstance.run(
        `UPDATE "Session" SET "endedAt" = ? WHERE "id" = ?`,
        new Date(),
        session,
      );
    } finally {
      await otherInstance.close();
    }
    expect(await loadSessionUser(session, user.id)).toBeNull();
  });

  it("signs the caller out everywhere, and no one else", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id);
    const other = await createUser(tenant.id);
    const here = await signedIn(user);
    const there = await signedIn(user);
    const theirs = await signedIn(other);
    await endSession(there);
    const principal = { ...principalOf(user), sessionId: here };
    expect((await listOwnSessions(principal)).map((view) => [view.id, view.current])).toEqual([
      [here, true],
    ]);
    const elsewhere = await signedIn(user);
    expect(await signOutEverywhere(principal)).toBe(2);
    expect(await loadSessionUser(here, user.id)).toBeNull();
    expect(await loadSessionUser(elsewhere, user.id)).toBeNull();
    expect(await loadSessionUser(theirs, other.id)).not.toBeNull();
    expect(await listOwnSessions(principal)).toEqual([]);
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, eventType: "user.sessions.ended" },
    });
    expect(events.map((event) => [event.userId, JSON.parse(event.data)])).toEqual([
      [user.id, { userId: user.id, email: user.email, sessions: 2 }],
    ]);
  });
});
