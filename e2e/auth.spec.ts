import { clientAddress } from "./api-helpers";
import {
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  signIn,
  signOut,
  test,
} from "./fixtures";

const nav = (page: import("@playwright/test").Page) =>
  page.getByRole("navigation", { name: "Main" });

test.describe("sign-in and the console shell", () => {
  test("a tenant admin signs in, sees the administration center, and signs out", async ({
    page,
  }) => {
    await signIn(page, "admin@acme.test");
    await expect(page).toHaveURL(/\/profile\/api-keys$/);
    await expect(nav(page).getByRole("link", { name: "API keys" })).toHaveCount(2);
    for (const name of ["Settings", "Events", "Users"]) {
      await expect(nav(page).getByRole("link", { name })).toBeVisible();
    }
    await signOut(page);
    await page.goto("/profile/api-keys");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fprofile%2Fapi-keys/);
  });

  test("a developer sees only the profile navigation", async ({ page }) => {
    await signIn(page, "dev@acme.test");
    await expect(nav(page).getByRole("link", { name: "API keys" })).toHaveCount(1);
    await expect(nav(page).getByRole("link", { name: "Settings" })).toHaveCount(0);
    await signOut(page);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });

  test("a user without roles signs in and gets 403 on admin pages", async ({ page }) => {
    await signIn(page, "user@acme.test");
    await expect(nav(page).getByRole("link", { name: "Users" })).toHaveCount(0);
    const response = await page.goto("/admin/settings");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: /don.t have access/ })).toBeVisible();
    await expectNoSeriousViolations(page);
    await signOut(page);
  });

  test("a wrong password gets a clear message and no session", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("admin@acme.test");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Incorrect email or password." }),
    ).toBeVisible();
    await expectNoSeriousViolations(page);
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name.includes("session-token"))).toBe(false);
    await page.goto("/profile/api-keys");
    await expect(page).toHaveURL(/\/login/);
  });

  test("after ten wrong passwords the account waits, even with the right one", async ({ page }) => {
    const user = await createUser("acme", { developer: true });
    // An address of its own: the suite's other sign-ins come from loopback.
    await page.setExtraHTTPHeaders({ "x-forwarded-for": clientAddress() });
    await page.goto("/login");
    const attempt = async (password: string) => {
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      // The form is cleared once the answer is in.
      await expect(page.getByLabel("Password")).toHaveValue("");
    };
    // The form's own alert, not Next's route announcer.
    const alert = page.locator("form").getByRole("alert");
    for (let i = 0; i < 10; i++) {
      await attempt(`wrong-${i}`);
      await expect(alert).toHaveText("Incorrect email or password.");
    }
    await attempt(user.password);
    await expect(alert).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name.includes("session-token"))).toBe(false);

    // Auth.js's own endpoint is held back by the same rule, and sends the refusal to this page.
    const csrf = await (await page.request.get("/api/auth/csrf")).json();
    const refused = await page.request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email: user.email, password: user.password },
      maxRedirects: 0,
    });
    const location = refused.headers()["location"];
    expect(location).toContain("code=too-many-attempts");
    await page.goto(location);
    await expect(alert).toHaveText("Too many failed sign-ins. Try again later.");
  });

  test("a signed-out visitor goes to sign-in and back to the page asked for", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers/);
    await signIn(page, "admin@acme.test");
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  });

  test("a user disabled in the database is signed out on the next request", async ({ page }) => {
    const user = await createUser("acme", { developer: true });
    await signIn(page, user.email, user.password);
    await e2eDb().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await page.goto("/profile/api-keys");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("status")).toContainText("signed out");
    const cookies = await page.context().cookies();
    expect(cookies.some((cookie) => cookie.name.includes("session-token"))).toBe(false);
    // Signing in again is refused too.
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Incorrect email or password." }),
    ).toBeVisible();
  });

  test("unknown pages get the friendly 404", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});
