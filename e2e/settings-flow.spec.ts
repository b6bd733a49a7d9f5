import { bearer } from "./api-helpers";
import {
  createTenant,
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  insertKey,
  signIn,
  test,
} from "./fixtures";

async function keysEnabled(slug: string): Promise<boolean> {
  const tenant = await e2eDb().tenant.findUniqueOrThrow({ where: { slug } });
  return tenant.apiKeysEnabled;
}

test.describe("settings that behave", () => {
  test("Enable API keys applies at once, and Generate new goes straight on to a key", async ({
    page,
  }) => {
    const tenant = await createTenant(false);
    const admin = await createUser(tenant, { admin: true, developer: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    const enabled = page.getByRole("switch", { name: "Enable API keys" });
    await expect(enabled).not.toBeChecked();
    await enabled.click();
    await expect(page.getByText(/API keys are on/)).toBeVisible();
    await expect(enabled).toBeChecked();
    expect(await keysEnabled(tenant)).toBe(true);

    // No Save: the switch is already applied, and the profile lets the admin generate a key.
    await page.getByRole("link", { name: "Generate new" }).click();
    await expect(page).toHaveURL("/profile/api-keys");
    await expect(page.getByText("API keys are disabled for your tenant.")).toHaveCount(0);
    await page.getByRole("button", { name: "Generate new key" }).click();
    const form = page.getByRole("dialog", { name: "Generate new key" });
    await form.getByLabel("Description").fill("First key of the tenant");
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    await expect(shown.getByLabel("API key")).toHaveValue(/^kw_/);
  });

  test("unsaved limits are not lost to Generate new without a question", async ({ page }) => {
    const tenant = await createTenant(true);
    const admin = await createUser(tenant, { admin: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    await page.getByLabel("Maximum active API keys per user").fill("7");
    await page.getByRole("link", { name: "Generate new" }).click();
    const leave = page.getByRole("alertdialog", { name: "Leave without saving?" });
    await expect(leave).toBeVisible();
    await leave.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL("/admin/settings");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/Settings saved/)).toBeVisible();
    await page.getByRole("link", { name: "Generate new" }).click();
    await expect(page).toHaveURL("/profile/api-keys");
    const saved = await e2eDb().tenant.findUniqueOrThrow({ where: { slug: tenant } });
    expect(saved.maxKeysPerUser).toBe(7);
  });

  test("switching keys off asks first and says how many keys stop working", async ({
    page,
    request,
  }) => {
    const tenant = await createTenant(true);
    const admin = await createUser(tenant, { admin: true });
    const developer = await createUser(tenant, { developer: true });
    const working = [];
    for (let i = 0; i < 3; i++) working.push(await insertKey(developer));
    await insertKey(developer, { revoked: true });
    await insertKey(developer, { expiresAt: new Date(Date.now() - 1000) });
    const me = (token: string) => request.get("/api/v1/users/me", { headers: bearer(token) });
    expect((await me(working[0].token)).status()).toBe(200);

    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    const enabled = page.getByRole("switch", { name: "Enable API keys" });
    await enabled.click();
    const confirm = page.getByRole("alertdialog", { name: "Switch API keys off?" });
    await expect(confirm).toContainText("3 active keys will stop working.");
    await expectNoSeriousViolations(page);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(enabled).toBeChecked();
    expect(await keysEnabled(tenant)).toBe(true);

    await enabled.click();
    await confirm.getByRole("button", { name: "Switch off" }).click();
    await expect(page.getByText(/API keys are off/)).toBeVisible();
    await expect(enabled).not.toBeChecked();
    expect(await keysEnabled(tenant)).toBe(false);
    expect((await me(working[0].token)).status()).toBe(401);
  });

  test("granting TenantAdmin asks first; your own TenantAdmin box is off limits, saying why", async ({
    page,
  }) => {
    const tenant = await createTenant(true);
    const admin = await createUser(tenant, { admin: true });
    const user = await createUser(tenant, { developer: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/users");

    const own = page.getByRole("checkbox", { name: `TenantAdmin for ${admin.email}` });
    await expect(own).toBeChecked();
    await expect(own).toBeDisabled();
    await expect(own).toHaveAccessibleDescription(/another tenant admin can remove it/);

    const grant = page.getByRole("checkbox", { name: `TenantAdmin for ${user.email}` });
    await grant.click();
    const confirm = page.getByRole("alertdialog", { name: `Make ${user.email} a tenant admin?` });
    await expect(confirm).toContainText("revoke every key");
    await expectNoSeriousViolations(page);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(grant).not.toBeChecked();
    const before = await e2eDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(before.isTenantAdmin).toBe(false);

    await grant.click();
    await confirm.getByRole("button", { name: "Make tenant admin" }).click();
    await expect(page.getByText(`Roles of ${user.email} saved.`)).toBeVisible();
    await expect(grant).toBeChecked();
    const after = await e2eDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ isTenantAdmin: true, isDeveloper: true });
  });
});
