import type { Page } from "@playwright/test";
import { createTenant, createUser, expect, newHexId, signIn, test } from "./fixtures";

/**
 * Holds back the page's own data (not the router's prefetch of the loading state) for `ms`, as a
 * slow connection would; answers what it held back.
 */
async function slowDown(page: Page, path: string, ms: number) {
  await page.route(`**${path}*`, async (route) => {
    const headers = route.request().headers();
    if (headers["rsc"] && !headers["next-router-prefetch"]) {
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    await route.continue();
  });
}

test("a slow navigation shows that the page is loading, then the page", async ({ page }) => {
  const tenant = await createTenant();
  const admin = await createUser(tenant, { admin: true, developer: true });
  await signIn(page, admin.email, admin.password);
  await page.goto("/profile/api-keys");
  const nav = page.getByRole("navigation", { name: "Main" });
  const loading = page.getByRole("status").filter({ hasText: "Loading…" });

  for (const [link, path, heading] of [
    ["Settings", "/admin/settings", "Settings"],
    ["Sessions", "/profile/sessions", "Sessions"],
  ] as const) {
    await slowDown(page, path, 2_000);
    await nav.getByRole("link", { name: link }).click();
    await expect(loading).toBeVisible();
    await expect(loading).toHaveAttribute("aria-live", "polite");
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page).toHaveURL(path);
    await expect(loading).toHaveCount(0);
  }
});

test("the loading states keep the status codes: 403 for a Developer, 404 for what is not there, sign-in for the signed out", async ({
  page,
  request,
}) => {
  const tenant = await createTenant();
  const developer = await createUser(tenant, { developer: true });
  const admin = await createUser(tenant, { admin: true, developer: true });
  const status = async (path: string, client = page.request) =>
    (await client.get(path, { maxRedirects: 0 })).status();

  for (const path of [
    "/profile/api-keys",
    "/profile/sessions",
    "/admin/api-keys",
    "/admin/events",
  ]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers()["location"], path).toBe(
      `/login?callbackUrl=${encodeURIComponent(path)}`,
    );
  }

  await signIn(page, developer.email, developer.password);
  for (const path of ["/admin/api-keys", "/admin/settings", "/admin/events", "/admin/users"]) {
    expect(await status(path), path).toBe(403);
  }
  expect(await status(`/admin/api-keys/${newHexId()}`)).toBe(403);
  expect(await status(`/profile/api-keys/${newHexId()}`)).toBe(404);
  expect(await status("/profile/api-keys")).toBe(200);

  await page.context().clearCookies();
  await signIn(page, admin.email, admin.password);
  expect(await status(`/admin/api-keys/${newHexId()}`)).toBe(404);
  expect(await status("/admin/users?page=1e400")).toBe(404);
  for (const path of ["/admin/api-keys", "/admin/settings", "/admin/events", "/admin/users"]) {
    expect(await status(path), path).toBe(200);
  }
});
