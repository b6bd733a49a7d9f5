import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createApiKey, renameApiKey } from "@/lib/api-keys/service";
import { endSession, startSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db";
import {
  Busy,
  Conflict,
  DomainError,
  Forbidden,
  Invalid,
  LimitReached,
  NotFound,
  Unauthorized,
} from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { defineAction, MALFORMED_CALL } from "./define-action";

// The seams to Next.js's request scope: the decoded session cookie, the request's headers and
// the page cache. Who the cookie's session belongs to, and whether it still counts, is read from
// the database as in production (lib/auth/session.ts).
const cookie = vi.hoisted(() => ({
  session: null as null | { userId: string; sessionId: string },
}));
vi.mock("@/auth", () => ({
  auth: async () =>
    cookie.session
      ? { user: { id: cookie.session.userId }, sessionId: cookie.session.sessionId }
      : null,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
const revalidatePath = vi.hoisted(() => vi.fn());
vi.mock("next/cache", () => ({ revalidatePath }));

async function signedIn(roles: { admin?: boolean; developer?: boolean } = { developer: true }) {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, roles);
  const sessionId = await startSession(user.id, { ip: null, userAgent: null });
  cookie.session = { userId: user.id, sessionId };
  return { user, sessionId };
}

/** The profile page's `Rename`, as the console defines it. */
const rename = defineAction({
  args: z.tuple([z.string({ error: "API key ID is required." }), z.string()]),
  revalidate: ["/profile/api-keys"],
  run: async (principal, id, description) => renameApiKey(principal, id, description),
  message: (key) => `Renamed to ${key.description}.`,
});

beforeEach(() => {
  cookie.session = null;
  revalidatePath.mockClear();
});
afterEach(() => vi.restoreAllMocks());

describe("defineAction", () => {
  it("runs the domain function as the caller, refreshes its pages and answers data and message", async () => {
    const { user } = await signedIn();
    const { key } = await createApiKey(principalOf(user), { description: "Before" });
    const result = await rename(key.id, "After");
    expect(result).toMatchObject({ ok: true, message: "Renamed to After." });
    expect(result.ok && result.data.description).toBe("After");
    expect(revalidatePath).toHaveBeenCalledWith("/profile/api-keys");
  });

  it("refuses a caller without a live session, and changes nothing", async () => {
    const { user, sessionId } = await signedIn();
    const { key } = await createApiKey(principalOf(user), { description: "Kept" });
    const run = vi.fn();
    const action = defineAction({ args: z.tuple([]), run });
    const refused = { ok: false, error: "Your session has ended. Sign in again." };

    await endSession(sessionId);
    expect(await rename(key.id, "Changed")).toEqual(refused);
    // A disabled user's session, still unexpired, counts no more.
    const other = await signedIn();
    await db.user.update({ where: { id: other.user.id }, data: { disabledAt: new Date() } });
    expect(await action()).toEqual(refused);
    cookie.session = null;
    expect(await action()).toEqual(refused);
    expect(run).not.toHaveBeenCalled();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).description).toBe("Kept");
    // The page refreshes all the same, and its own check sends the browser to sign in.
    expect(revalidatePath).toHaveBeenCalledWith("/profile/api-keys");
  });

  it("refuses a caller without the role it asks for, before reading the arguments", async () => {
    await signedIn({ developer: true });
    const run = vi.fn();
    const action = defineAction({ args: z.tuple([z.string()]), role: "TenantAdmin", run });
    expect(await action(42 as unknown as string)).toEqual({
      ok: false,
      error: "Only a tenant admin can do this.",
    });
    expect(run).not.toHaveBeenCalled();

    await signedIn({ admin: true });
    run.mockResolvedValue("done");
    expect(await action("x")).toEqual({ ok: true, data: "done" });
  });

  it("refuses arguments of the wrong shape with the schema's message and field; nothing runs", async () => {
    const { user } = await signedIn();
    const { key } = await createApiKey(principalOf(user), { description: "Kept" });
    const run = vi.fn();
    const invite = defineAction({
      args: z.tuple([z.object({ email: z.string({ error: "email is required." }) })]),
      run,
    });
    // What a hand-made POST may send in place of the page's arguments.
    expect(await invite({ email: 5 } as unknown as { email: string })).toEqual({
      ok: false,
      error: "email is required.",
      field: "email",
    });
    expect(await invite(...([] as unknown as [{ email: string }]))).toEqual({
      ok: false,
      error: MALFORMED_CALL,
    });
    expect(await rename(...([key.id, "x", "extra"] as unknown as [string, string]))).toEqual({
      ok: false,
      error: MALFORMED_CALL,
    });
    expect(await rename(null as unknown as string, "x")).toEqual({
      ok: false,
      error: "API key ID is required.",
    });
    expect(run).not.toHaveBeenCalled();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).description).toBe("Kept");
  });

  it("turns each domain error into its message, with its field, and still refreshes the pages", async () => {
    await signedIn();
    const failures: DomainError[] = [
      new Invalid("Description is required.", "description"),
      new Unauthorized(),
      new Forbidden(),
      new NotFound("API key not found."),
      new Conflict("Already there."),
      new LimitReached("You have reached your tenant's limit of active keys."),
      new Busy(),
      new DomainError("CONFLICT", "a@example.test is already a user of the tenant.", "email"),
    ];
    for (const failure of failures) {
      revalidatePath.mockClear();
      const action = defineAction({
        args: z.tuple([]),
        revalidate: ["/admin/users"],
        run: async () => {
          throw failure;
        },
      });
      expect(await action()).toEqual(
        failure.field
          ? { ok: false, error: failure.message, field: failure.field }
          : { ok: false, error: failure.message },
      );
      expect(revalidatePath).toHaveBeenCalledWith("/admin/users");
    }
  });

  it("answers an unexpected failure generically, with a trace ID in the log, never its message", async () => {
    await signedIn();
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = defineAction({
      args: z.tuple([]),
      run: async () => {
        throw new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2");
      },
    });
    const result = await action();
    expect(result.ok).toBe(false);
    const error = result.ok ? "" : result.error;
    expect(error).toMatch(/^Something went wrong \(trace ID [0-9a-f-]{36}\)\. Try again\.$/);
    expect(error).not.toMatch(/ECONNREFUSED|hunter2/);
    const traceId = /trace ID ([0-9a-f-]+)/.exec(error)![1];
    expect(log).toHaveBeenCalledWith(expect.stringContaining(traceId), expect.any(Error));
  });

  it("lets Next.js's own signals through, such as a redirect after signing out", async () => {
    await signedIn();
    const action = defineAction({
      args: z.tuple([]),
      run: async () => redirect("/login?reason=signed-out"),
    });
    await expect(action()).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/login\?reason=signed-out/),
    });
  });
});
