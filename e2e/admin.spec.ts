import type { Page } from "@playwright/test";
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
  type TestUser,
} from "./fixtures";
import { bearer } from "./api-helpers";

/** An active key of `owner`, inserted straight into the e2e server's database. */
async function arrangeKey(owner: TestUser, description: string) {
  const key = await insertKey(owner, {
    description,
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });
  return { ...key, description };
}

async function searchFor(page: Page, term: string) {
  const box = page.getByRole("searchbox", { name: "Search" });
  await box.fill(term);
  await box.press("Enter");
  await expect.poll(() => new URL(page.url()).searchParams.get("search")).toBe(term);
}

test.describe("administration center", () => {
  test("settings refuse out-of-range values next to the field and echo the expiration", async ({
    page,
  }) => {
    await signIn(page, "admin@acme.test");
    await page.goto("/admin/settings");
    await expect(page.getByRole("switch", { name: "Enable API keys" })).toBeChecked();
    await expect(page.getByRole("link", { name: "Generate new" })).toHaveAttribute(
      "href",
      "/profile/api-keys",
    );
    await expect(page.getByText("Keys can last up to 90 days.")).toBeVisible();
    await page.getByRole("button", { name: "1 year" }).click();
    await expect(page.getByLabel("Maximum token expiration")).toHaveValue("P1Y");
    await expect(page.getByText("Keys can last up to 1 year.")).toBeVisible();
    const limit = page.getByLabel("Maximum active API keys per user");
    await limit.fill("1001");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(limit).toHaveAccessibleDescription(/whole number from 0 to 1000/);
    await limit.fill("5");
    await page.getByLabel("Maximum token expiration").fill("90 days");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByLabel("Maximum token expiration")).toHaveAccessibleDescription(
      /ISO-8601 duration such as P90D/,
    );
    const tenant = await e2eDb().tenant.findUnique({
      where: { slug: "acme" },
      select: { maxApiKeyExpiry: true, maxKeysPerUser: true },
    });
    expect(tenant).toEqual({ maxApiKeyExpiry: "P90D", maxKeysPerUser: 5 });
    await expectNoSeriousViolations(page);
  });

  test("an admin enables keys with a limit of two, and a developer is stopped at the third", async ({
    page,
  }) => {
    // A tenant of its own with keys off, as a new tenant starts: other specs rely on the demo
    // tenants' settings.
    const tenant = await createTenant(false);
    const admin = await createUser(tenant, { admin: true });
    const developer = await createUser(tenant, { developer: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    const enabled = page.getByRole("switch", { name: "Enable API keys" });
    await expect(enabled).not.toBeChecked();
    await enabled.click();
    await page.getByLabel("Maximum active API keys per user").fill("2");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/Settings saved/)).toBeVisible();
    await signOut(page);

    await signIn(page, developer.email, developer.password);
    await page.goto("/profile/api-keys");
    const generate = page.getByRole("button", { name: "Generate new key" });
    for (const description of ["First key", "Second key"]) {
      await generate.click();
      await page.getByLabel("Description").fill(description);
      await page.getByRole("button", { name: "Generate" }).click();
      await page.getByRole("button", { name: "Done" }).click();
    }
    await expect(generate).toBeDisabled();
    await expect(generate).toHaveAccessibleDescription(/2 of 2 active keys used/);
  });

  test("an admin finds keys by owner, key ID and name, and revokes a selection", async ({
    page,
    request,
  }) => {
    const owner = await createUser("acme", { developer: true });
    const tag = owner.id.slice(0, 8);
    const alpha = await arrangeKey(owner, `Alpha loader ${tag}`);
    const beta = await arrangeKey(owner, `Beta exporter ${tag}`);
    const gamma = await arrangeKey(owner, `Gamma probe ${tag}`);
    const me = (secret: string) => request.get("/api/v1/users/me", { headers: bearer(secret) });
    expect((await me(alpha.token)).status()).toBe(200);

    await signIn(page, "admin@acme.test");
    await page.goto("/admin/api-keys");
    await expectNoSeriousViolations(page);
    const table = page.getByRole("table");

    await searchFor(page, owner.email);
    await expect(table.getByRole("row")).toHaveCount(4);
    for (const key of [alpha, beta, gamma])
      await expect(table.getByText(key.description)).toBeVisible();

    await searchFor(page, beta.id);
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table.getByText(beta.description)).toBeVisible();

    await searchFor(page, `GAMMA PROBE ${tag}`);
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table.getByText(gamma.description)).toBeVisible();

    await searchFor(page, owner.email);
    await expect(table.getByRole("row")).toHaveCount(4);
    await page.getByRole("checkbox", { name: `Select row ${alpha.description}` }).click();
    await page.getByRole("checkbox", { name: `Select row ${beta.description}` }).click();
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("immediate and irreversible");
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await expect(dialog).toBeHidden();

    for (const key of [alpha, beta]) {
      const row = table.getByRole("row").filter({ hasText: key.description });
      await expect(row.getByText("Revoked", { exact: true })).toBeVisible();
      await expect(row.getByRole("button", { name: /^More/ })).toHaveCount(0);
      await expect(row.getByRole("checkbox")).toBeDisabled();
      expect((await me(key.token)).status()).toBe(401);
    }
    const gammaRow = table.getByRole("row").filter({ hasText: gamma.description });
    await expect(gammaRow.getByText("Active", { exact: true })).toBeVisible();
    expect((await me(gamma.token)).status()).toBe(200);
    const revoked = await e2eDb().apiKey.findMany({
      where: { ownerId: owner.id, revokedAt: { not: null } },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    expect(revoked).toEqual(
      [{ id: alpha.id }, { id: beta.id }].sort((a, b) => a.id.localeCompare(b.id)),
    );

    await page.getByRole("button", { name: `More actions for ${gamma.description}` }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await expect(page.getByRole("alertdialog")).toContainText("irreversible");
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await expect(gammaRow.getByText("Active", { exact: true })).toBeVisible();

    await page.getByLabel("Status").selectOption("revoked");
    await expect(page).toHaveURL(/status=revoked/);
    await expect(table.getByRole("row")).toHaveCount(3);
    await page.goBack();
    await expect(table.getByRole("row")).toHaveCount(4);
  });

  test("an admin grants Developer to a user without roles", async ({ page }) => {
    const user = await createUser("acme");
    await signIn(page, "admin@acme.test");
    await page.goto("/admin/users");
    await expectNoSeriousViolations(page);
    await searchFor(page, user.email);
    const developer = page.getByRole("checkbox", { name: `Developer for ${user.email}` });
    await expect(developer).not.toBeChecked();
    await developer.click();
    await expect(page.getByText(`Roles of ${user.email} saved.`)).toBeVisible();
    await page.reload();
    await expect(developer).toBeChecked();
    const row = await e2eDb().user.findUnique({
      where: { id: user.id },
      select: { isDeveloper: true },
    });
    expect(row).toEqual({ isDeveloper: true });
  });

  test("a user granted Developer can generate keys", async ({ page }) => {
    const user = await createUser("acme", { developer: true });
    await signIn(page, user.email, user.password);
    await page.goto("/profile/api-keys");
    await expect(page.getByRole("button", { name: "Generate new key" })).toBeVisible();
  });
});
