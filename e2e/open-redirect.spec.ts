import type { Page } from "@playwright/test";
import { createUser, expect, test, type TestUser } from "./fixtures";

/**
 * `callbackUrl` values as they stand in the address bar (encoded once, or twice), each an attempt to
 * send the browser to evil.test after sign-in: tabs and newlines that browsers strip, NUL,
 * backslashes that browsers read as slashes, dot segments, ideographic full stops, absolute URLs.
 */
const TRICKY_CALLBACK_URLS = [
  "/%09/evil.test",
  "/%09%09/evil.test",
  "%09//evil.test",
  "/%0a/evil.test",
  "/%0d/evil.test",
  "/%0d%0a/evil.test",
  "/%00/evil.test",
  "%00//evil.test",
  "%20//evil.test",
  "//evil.test",
  "///evil.test",
  "%2F%2Fevil.test",
  "/%5Cevil.test",
  "%5C%5Cevil.test",
  "/%5C/evil.test",
  "/%5C%09/evil.test",
  "/%2509/evil.test",
  "/%252F%252Fevil.test",
  "%252F%252Fevil.test",
  "/%E3%80%82evil.test",
  "//evil%E3%80%82test",
  "%2F%2Fevil%E3%80%82test",
  "/.//evil.test",
  "/%2e//evil.test",
  "/%252e//evil.test",
  "/a/..//evil.test",
  "https://evil.test",
  "https%3A%2F%2Fevil.test%2F",
  "https:evil.test",
  "//user@evil.test",
  "javascript:alert(document.domain)",
];

/** Every request the page makes to another origin, redirects included, is recorded; none is sent. */
async function recordLeaks(page: Page, origin: string): Promise<string[]> {
  const leaks: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) leaks.push(request.url());
  });
  await page.context().route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  return leaks;
}

/** Signs in through the form, optionally posting `posted` as the return path instead of the page's. */
async function submitSignIn(page: Page, user: TestUser, posted?: string): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  if (posted !== undefined) {
    await page.locator('input[name="callbackUrl"]').evaluate((input, value) => {
      (input as HTMLInputElement).value = value;
    }, posted);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("the return path after sign-in stays on Keyward", () => {
  let origin = "";
  test.beforeEach(({ baseURL }) => {
    origin = new URL(baseURL!).origin;
  });

  test("signed in, /login?callbackUrl=… redirects on this origin only, never with a 500", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const user = await createUser("acme", { developer: true });
    await page.goto("/login");
    await submitSignIn(page, user);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

    for (const raw of TRICKY_CALLBACK_URLS) {
      const response = await page.request.get(`/login?callbackUrl=${raw}`, { maxRedirects: 0 });
      expect.soft(response.status(), raw).toBeLessThan(500);
      const location = response.headers()["location"] ?? "";
      expect.soft(new URL(location, origin).origin, `${raw} → ${location}`).toBe(origin);
    }

    const leaks = await recordLeaks(page, origin);
    for (const raw of TRICKY_CALLBACK_URLS) {
      const response = await page.goto(`/login?callbackUrl=${raw}`);
      expect(response?.status() ?? 0, raw).toBeLessThan(500);
      expect(new URL(page.url()).origin, raw).toBe(origin);
    }
    expect(leaks).toEqual([]);
  });

  for (const raw of TRICKY_CALLBACK_URLS) {
    test(`signing in through the form with callbackUrl=${raw} lands on this origin`, async ({
      page,
    }) => {
      const user = await createUser("acme", { developer: true });
      const leaks = await recordLeaks(page, origin);
      // As the page offers it, and as posted straight to the sign-in action, past the page's check.
      for (const posted of [undefined, decodeURIComponent(raw)]) {
        await page.context().clearCookies();
        const response = await page.goto(`/login?callbackUrl=${raw}`);
        expect(response?.status()).toBe(200);
        await submitSignIn(page, user, posted);
        await page.waitForURL((url) => url.origin !== origin || url.pathname !== "/login");
        expect(new URL(page.url()).origin, `posted ${posted}`).toBe(origin);
        expect(leaks, `posted ${posted}`).toEqual([]);
      }
    });
  }
});
