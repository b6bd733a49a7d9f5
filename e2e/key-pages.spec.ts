import type { Page } from "@playwright/test";
import { bearer, clientAddress } from "./api-helpers";
import {
  createTenant,
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  insertKey,
  signIn,
  signOut,
  test,
} from "./fixtures";

/** Usage is flushed from memory every few seconds: reload until the key's chart counts `n`. */
async function expectUsage(page: Page, requests: number) {
  const chart = page.getByRole("img", { name: /^Requests per hour/ });
  await expect(async () => {
    await page.reload();
    await expect(chart).toHaveAccessibleName(new RegExp(`: ${requests} requests in total`), {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
}

test.describe("a page per API key", () => {
  test("reached from both tables, it shows the key's own usage, addresses and events", async ({
    page,
    playwright,
    baseURL,
    request,
  }) => {
    // Real traffic, a wait for the usage flush and two people: more than the usual minute.
    test.slow();
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const developer = await createUser(tenant, { developer: true });
    await signIn(page, developer.email, developer.password);
    const keys: Record<string, { id: string; token: string }> = {};
    for (const description of ["Reporting job", "Idle job"]) {
      const response = await page.request.post("/api/v1/api-keys", { data: { description } });
      expect(response.status()).toBe(201);
      const body = await response.json();
      keys[description] = { id: body.id, token: body.token };
    }
    const key = keys["Reporting job"];

    // A program with an address of its own calls the REST API with the key, 12 times.
    const address = clientAddress();
    const program = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { "x-forwarded-for": address },
    });
    const call = (token: string) =>
      program.get("/api/v1/users/me", { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 12; i++) expect((await call(key.token)).status()).toBe(200);
    expect((await call(keys["Idle job"].token)).status()).toBe(200);
    // Its idle connection would be closed by the server long before the last calls below.
    await program.dispose();

    // The owner follows the key's name in the profile's table to its page.
    await page.goto("/profile/api-keys");
    await page.getByRole("link", { name: "Reporting job", exact: true }).click();
    await expect(page).toHaveURL(`/profile/api-keys/${key.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Reporting job" })).toBeVisible();
    await expectUsage(page, 12);
    const details = page.getByRole("region", { name: "Details", exact: true });
    await expect(details).toContainText(key.id);
    await expect(details).toContainText(developer.email);
    await expect(
      details.getByRole("definition").getByText("Active", { exact: true }),
    ).toBeVisible();
    await expect(details).not.toContainText("Never");
    const addresses = page.getByRole("table", { name: "Addresses this key was last used from" });
    await expect(addresses).toContainText(address);
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events).toContainText("api-key.created");
    await expect(events.getByText(keys["Idle job"].id)).toHaveCount(0);
    await expectNoSeriousViolations(page);

    // The owner renames it from its page.
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByRole("dialog").getByLabel("Description").fill("Reporting job v2");
    await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Reporting job v2" })).toBeVisible();
    await expect(events).toContainText("api-key.updated");
    await signOut(page);

    // The tenant admin follows it from the all-keys table, sees the same usage, and revokes it.
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/api-keys");
    await page.getByRole("link", { name: "Reporting job v2", exact: true }).click();
    await expect(page).toHaveURL(`/admin/api-keys/${key.id}`);
    await expectUsage(page, 12);
    await expect(addresses).toContainText(address);
    await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);
    await expectNoSeriousViolations(page);
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("irreversible");
    await confirm.getByRole("button", { name: "Revoke", exact: true }).click();
    await expect(
      details.getByRole("definition").getByText("Revoked", { exact: true }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
    await expect(events).toContainText("api-key.revoked");
    const me = (token: string) => request.get("/api/v1/users/me", { headers: bearer(token) });
    expect((await me(key.token)).status()).toBe(401);
    expect((await me(keys["Idle job"].token)).status()).toBe(200);
  });

  test("the owner deletes a key from its page and is back at the list", async ({ page }) => {
    const tenant = await createTenant();
    const developer = await createUser(tenant, { developer: true });
    const key = await insertKey(developer, { description: "Throwaway key" });
    await signIn(page, developer.email, developer.password);
    await page.goto(`/profile/api-keys/${key.id}`);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("permanent");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL("/profile/api-keys");
    await expect(page.getByText('API key "Throwaway key" deleted.')).toBeVisible();
    await expect(page.getByRole("link", { name: "Throwaway key" })).toHaveCount(0);
    expect(await e2eDb().apiKey.findUnique({ where: { id: key.id } })).toBeNull();
  });

  test("another tenant's key, or another person's on the profile, is not found", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true, developer: true });
    const colleague = await createUser(tenant, { developer: true });
    const colleagueKey = await insertKey(colleague, { description: "Colleague's key" });
    const otherTenant = await createTenant();
    const stranger = await createUser(otherTenant, { developer: true });
    const strangerKey = await insertKey(stranger, { description: "Stranger's key" });

    await signIn(page, admin.email, admin.password);
    const admins = await page.goto(`/admin/api-keys/${colleagueKey.id}`);
    expect(admins?.status()).toBe(200);
    for (const path of [
      `/admin/api-keys/${strangerKey.id}`,
      `/profile/api-keys/${strangerKey.id}`,
      `/profile/api-keys/${colleagueKey.id}`,
      "/admin/api-keys/not-a-key-id",
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByText("Stranger's key")).toHaveCount(0);
      await expect(page.getByText("Colleague's key")).toHaveCount(0);
    }
    await signOut(page);

    // A developer without TenantAdmin is refused the administration's page of their own key.
    await signIn(page, colleague.email, colleague.password);
    const refused = await page.goto(`/admin/api-keys/${colleagueKey.id}`);
    expect(refused?.status()).toBe(403);
  });

  test("an active key refused for its owner or tenant says why, wherever it is shown", async ({
    page,
    request,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const developer = await createUser(tenant, { developer: true });
    const key = await insertKey(developer, { description: "Sync job" });
    const formerDeveloper = await createUser(tenant, { developer: true });
    const orphan = await insertKey(formerDeveloper, { description: "Orphaned job" });
    await e2eDb().user.update({ where: { id: formerDeveloper.id }, data: { isDeveloper: false } });
    await e2eDb().tenant.update({
      where: { slug: tenant },
      data: { apiKeysEnabled: false },
    });
    expect((await request.get("/api/v1/users/me", { headers: bearer(key.token) })).status()).toBe(
      401,
    );
    const keysOff = "Inactive: keys are off for the tenant";

    await signIn(page, developer.email, developer.password);
    await expect(
      page.getByRole("row").filter({ hasText: "Sync job" }).getByText(keysOff),
    ).toBeVisible();
    await page.goto(`/profile/api-keys/${key.id}`);
    await expect(
      page.getByRole("region", { name: "Details", exact: true }).getByText(keysOff),
    ).toBeVisible();
    await signOut(page);

    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/api-keys");
    const table = page.getByRole("table", { name: "API keys of the tenant" });
    await expect(table.getByRole("row").filter({ hasText: "Sync job" })).toContainText(keysOff);
    // The owner's missing role comes first, as the key check names it.
    await expect(table.getByRole("row").filter({ hasText: "Orphaned job" })).toContainText(
      "Inactive: the owner lacks the Developer role",
    );
    await expectNoSeriousViolations(page);
    await page.goto(`/admin/api-keys/${orphan.id}`);
    await expect(page.getByRole("region", { name: "Details", exact: true })).toContainText(
      "Inactive: the owner lacks the Developer role",
    );
    // Still active in the sense of SPEC §4: an admin can revoke it.
    await expect(page.getByRole("button", { name: "Revoke", exact: true })).toBeVisible();
  });
});
