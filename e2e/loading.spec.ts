import type { Request } from "@playwright/test";
import { createTenant, createUser, expect, newHexId, signIn, test } from "./fixtures";

// The console's loading states (app/(console)/**/loading.tsx) sit below the layouts that check the
// session and the role: these status codes are what a loading boundary above the checks broke.
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

test("while the server makes a page, the console shows its loading state, then the page", async ({
  page,
}) => {
  const tenant = await createTenant();
  const admin = await createUser(tenant, { admin: true, developer: true });
  await signIn(page, admin.email, admin.password);

  // The page's own render is held until the test lets it go; its prefetch (which brings the
  // loading state along) is not.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const rendersEvents = (request: Request) =>
    new URL(request.url()).pathname === "/admin/events" && !!request.headers()["rsc"];
  const isPrefetch = (request: Request) => !!request.headers()["next-router-prefetch"];
  await page.route("**/admin/events**", async (route) => {
    if (rendersEvents(route.request()) && !isPrefetch(route.request())) await held;
    await route.continue();
  });
  const prefetched = page.waitForResponse(
    (response) =>
      rendersEvents(response.request()) &&
      isPrefetch(response.request()) &&
      !response.request().headers()["next-router-segment-prefetch"],
  );
  await page.goto("/admin/settings");
  await prefetched;
  // Until every prefetch has come back and been taken in, the router may have no loading state yet.
  await page.waitForLoadState("networkidle");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Events" })
    .click();
  const loading = page.getByRole("status").filter({ hasText: "Loading…" });
  await expect(loading).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeHidden();
  release();
  await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  await expect(loading).toBeHidden();
});
