import { request, type Browser, type BrowserContext, type Page } from "@playwright/test";
import {
  createTenant,
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  signIn,
  signOut,
  test,
  type TestUser,
} from "./fixtures";

// SPEC §9: a session ends on the server. Each test copies a session cookie, as someone who stole it
// would, ends the session some way, then replays the cookie from a client of its own.

/** The session cookie of a browser context, as a `Cookie` header. */
async function copyCookie(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name.includes("session-token"));
  if (!session) throw new Error("no session cookie");
  return `${session.name}=${session.value}`;
}

interface Replay {
  me: number;
  page: number;
  location: string | undefined;
}

/** The REST API and a console page, asked with nothing but the copied cookie. */
async function replay(baseURL: string, cookie: string): Promise<Replay> {
  const client = await request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie },
  });
  try {
    const me = await client.get("/api/v1/users/me");
    const page = await client.get("/profile/api-keys", { maxRedirects: 0 });
    return { me: me.status(), page: page.status(), location: page.headers()["location"] };
  } finally {
    await client.dispose();
  }
}

async function expectLive(baseURL: string, cookie: string) {
  expect(await replay(baseURL, cookie)).toMatchObject({ me: 200, page: 200 });
}

async function expectRefused(baseURL: string, cookie: string) {
  const answer = await replay(baseURL, cookie);
  expect(answer.me).toBe(401);
  expect(answer.page).toBe(307);
  expect(answer.location).toMatch(/\/(login|logout)/);
}

/** A user signed in in a browser context of their own, and the copy of its cookie. */
async function signedInElsewhere(browser: Browser, baseURL: string, user: TestUser) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  return { context, page, cookie: await copyCookie(context) };
}

async function openUserMenu(page: Page, email: string) {
  await page.goto(`/admin/users?search=${encodeURIComponent(email)}`);
  await page.getByRole("button", { name: `More actions for ${email}` }).click();
}

test.describe("sessions end on the server", () => {
  // Several of these sign in from two browsers.
  test.describe.configure({ timeout: 120_000 });

  test("a copied cookie is refused once its session signs out in the console", async ({
    page,
    baseURL,
  }) => {
    const user = await createUser("acme", { developer: true });
    await signIn(page, user.email, user.password);
    const cookie = await copyCookie(page.context());
    await expectLive(baseURL!, cookie);

    await signOut(page);
    await expectRefused(baseURL!, cookie);
    // The same user signs in again afresh.
    await signIn(page, user.email, user.password);
    await expectLive(baseURL!, await copyCookie(page.context()));
  });

  test("a copied cookie is refused once its session signs out through Auth.js's endpoint", async ({
    page,
    baseURL,
  }) => {
    const user = await createUser("acme");
    await signIn(page, user.email, user.password);
    const cookie = await copyCookie(page.context());
    await expectLive(baseURL!, cookie);

    const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
    const signedOut = await page.request.post("/api/auth/signout", {
      form: { csrfToken },
      maxRedirects: 0,
    });
    expect(signedOut.status()).toBe(302);
    await expectRefused(baseURL!, cookie);
  });

  test("GET /logout does not sign out; its page's Sign out button does", async ({
    page,
    baseURL,
  }) => {
    const user = await createUser("acme");
    await signIn(page, user.email, user.password);
    const cookie = await copyCookie(page.context());

    // What a link or an image on any page could make the browser ask for.
    const fetched = await page.request.get("/logout", { maxRedirects: 0 });
    expect(fetched.status()).toBeLessThan(400);
    await page.goto("/profile/api-keys");
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    await page.goto("/logout");
    await expectLive(baseURL!, cookie);
    await expect(page.getByRole("heading", { name: "Sign out of Keyward?" })).toBeVisible();
    await expectNoSeriousViolations(page);

    await page.getByRole("main").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expectRefused(baseURL!, cookie);
    // Signed out, /logout simply leads to sign-in.
    await page.goto("/logout");
    await expect(page).toHaveURL(/\/login/);
  });

  test("disabling a user ends their sessions, and enabling them again does not bring them back", async ({
    page,
    browser,
    baseURL,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const user = await createUser(tenant, { developer: true });
    const elsewhere = await signedInElsewhere(browser, baseURL!, user);
    await expectLive(baseURL!, elsewhere.cookie);

    await signIn(page, admin.email, admin.password);
    await openUserMenu(page, user.email);
    await page.getByRole("menuitem", { name: "Disable" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
    await expect(page.getByText(`${user.email} is disabled.`)).toBeVisible();
    await expectRefused(baseURL!, elsewhere.cookie);

    await openUserMenu(page, user.email);
    await page.getByRole("menuitem", { name: "Enable" }).click();
    await expect(page.getByText(`${user.email} is enabled.`)).toBeVisible();
    await expectRefused(baseURL!, elsewhere.cookie);
    // The browser that held the session is sent to sign in, and may do so again.
    await elsewhere.page.goto("/profile/api-keys");
    await expect(elsewhere.page).toHaveURL(/\/login/);
    await signIn(elsewhere.page, user.email, user.password);
    await expectLive(baseURL!, await copyCookie(elsewhere.context));
    await elsewhere.context.close();
  });

  test("Sign out everywhere ends the user's session in another browser, for pages, REST and server actions", async ({
    page,
    browser,
    baseURL,
  }) => {
    const user = await createUser("acme", { developer: true });
    const elsewhere = await signedInElsewhere(browser, baseURL!, user);
    await elsewhere.page.goto("/profile/api-keys");
    await signIn(page, user.email, user.password);
    const here = await copyCookie(page.context());

    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Sessions" })
      .click();
    await expect(page.getByRole("heading", { name: "Sessions", level: 1 })).toBeVisible();
    await expect(page.getByRole("row")).toHaveCount(3);
    await expect(page.getByText("This session")).toBeVisible();
    await expectNoSeriousViolations(page);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("every browser");
    await confirm.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/login/);

    await expectRefused(baseURL!, here);
    await expectRefused(baseURL!, elsewhere.cookie);
    // The other browser still shows its page; its next server action is refused, and the page's
    // refresh that follows sends it to sign in.
    await elsewhere.page.getByRole("button", { name: "Generate new key" }).click();
    await elsewhere.page.getByLabel("Description").fill("After sign-out everywhere");
    await elsewhere.page.getByRole("button", { name: "Generate" }).click();
    await expect(elsewhere.page).toHaveURL(/\/login/);
    await expect(elsewhere.page.getByRole("status")).toContainText("signed out");
    expect(
      await e2eDb().apiKey.count({
        where: { ownerId: user.id, description: "After sign-out everywhere" },
      }),
    ).toBe(0);
    const ended = await e2eDb().auditEvent.findFirst({
      where: { tenantId: user.tenantId, eventType: "user.sessions.ended", userId: user.id },
    });
    expect(JSON.parse(ended!.data)).toMatchObject({ userId: user.id, sessions: 2 });
    await elsewhere.context.close();
  });

  test("a tenant admin ends a user's sessions from the Users page", async ({
    page,
    browser,
    baseURL,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const user = await createUser(tenant, { developer: true });
    const elsewhere = await signedInElsewhere(browser, baseURL!, user);
    await expectLive(baseURL!, elsewhere.cookie);

    await signIn(page, admin.email, admin.password);
    await openUserMenu(page, user.email);
    await page.getByRole("menuitem", { name: "End sessions" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText(user.email);
    await confirm.getByRole("button", { name: "End sessions" }).click();
    await expect(page.getByText(`Sessions of ${user.email} ended.`)).toBeVisible();

    await expectRefused(baseURL!, elsewhere.cookie);
    // The admin's own session goes on, and the user is still enabled.
    await expectLive(baseURL!, await copyCookie(page.context()));
    const event = await e2eDb().auditEvent.findFirst({
      where: { tenantId: user.tenantId, eventType: "user.sessions.ended", userId: admin.id },
    });
    expect(JSON.parse(event!.data)).toMatchObject({ userId: user.id, email: user.email });
    await elsewhere.page.goto("/profile/api-keys");
    await expect(elsewhere.page).toHaveURL(/\/login/);
    await signIn(elsewhere.page, user.email, user.password);
    await elsewhere.context.close();
  });
});
