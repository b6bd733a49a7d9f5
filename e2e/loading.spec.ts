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
