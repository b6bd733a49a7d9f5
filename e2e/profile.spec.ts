import type { Page } from "@playwright/test";
import {
  createTenant,
  createUser,
  expect,
  expectNoSeriousViolations,
  insertKey,
  signIn,
  test,
  type TestUser,
} from "./fixtures";

const PAGE = "/profile/api-keys";

async function signInAsNewDeveloper(page: Page): Promise<TestUser> {
  const user = await createUser("acme", { developer: true });
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/profile\/api-keys$/);
  return user;
}

/** Generates a key through the dialog and returns the token it shows, once. */
async function generateKey(page: Page, description: string, expiry = "7 days"): Promise<string> {
  await page.getByRole("button", { name: "Generate new key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate new key" });
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByLabel("Expiration", { exact: true }).selectOption({ label: expiry });
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  const token = await shown.getByLabel("API key").inputValue();
  expect(token).toMatch(/^kw_[0-9A-Za-z]{38}$/);
  return token;
}

function rowOf(page: Page, description: string) {
  return page.getByRole("row").filter({ hasText: description });
}

test.describe("Profile settings → API keys", () => {
  test("a developer generates a key, uses it, renames it and deletes it", async ({
    page,
    request,
  }) => {
    const user = await signInAsNewDeveloper(page);
    await expect(page.getByText("0 of 5 active keys used")).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete all" })).toBeDisabled();

    await page.getByRole("button", { name: "Generate new key" }).click();
    const form = page.getByRole("dialog", { name: "Generate new key" });
    await expect(form.getByText("Maximum for your tenant: 90 days")).toBeVisible();
    const expiry = form.getByLabel("Expiration", { exact: true });
    const offered = await expiry.locator("option").allTextContents();
    expect(offered).toEqual(["1 day", "7 days", "30 days", "90 days", "Custom"]);
    await expectNoSeriousViolations(page, '[role="dialog"]');

    // An empty description is refused in the form, and nothing is created.
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    await expect(form.getByText("Description is required.")).toBeVisible();

    // A custom expiry beyond the tenant's maximum is refused by the server.
    await form.getByLabel("Description").fill("Build server");
    await expiry.selectOption({ label: "Custom" });
    await form.getByLabel("Custom expiration").fill("P1Y");
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    await expect(form.getByText("Expiry can be at most 90 days for this tenant.")).toBeVisible();

    await form.getByLabel("Custom expiration").fill("P14D");
    const actionResponse = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" && !!response.request().headers()["next-action"],
    );
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    await expect(shown.getByText("This key cannot be shown again.")).toBeVisible();
    expect((await actionResponse).headers()["cache-control"]).toContain("no-store");
    const token = await shown.getByLabel("API key").inputValue();
    expect(token).toMatch(/^kw_[0-9A-Za-z]{38}$/);
    expect(page.url()).not.toContain(token);
    const origin = new URL(page.url()).origin;
    await expect(shown.locator("pre")).toHaveText(
      `curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/users/me`,
    );
    await expectNoSeriousViolations(page, '[role="dialog"]');

    await shown.getByRole("button", { name: "Copy", exact: true }).click();
    await expect(shown.getByText("Copied to clipboard")).toBeAttached();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    await shown.getByRole("button", { name: "Done" }).click();
    await expect(shown).toBeHidden();
    const row = rowOf(page, "Build server");
    await expect(row).toBeVisible();
    await expect(row.getByText("Active")).toBeVisible();
    await expect(row.getByText(`kw_\u2026${token.slice(-4)}`)).toBeVisible();
    await expect(page.getByText("1 of 5 active keys used")).toBeVisible();

    const me = await request.get("/api/v1/users/me", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(me.status()).toBe(200);
    expect((await me.json()).email).toBe(user.email);

    // Rename with the keyboard alone.
    await page.getByRole("button", { name: "More actions for Build server" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await page.keyboard.press("Enter");
    const rename = page.getByRole("dialog", { name: "Rename API key" });
    await expect(rename.getByLabel("Description")).toHaveValue("Build server");
    await rename.getByLabel("Description").fill("Release pipeline");
    await page.keyboard.press("Enter");
    await expect(rename).toBeHidden();
    await expect(rowOf(page, "Release pipeline")).toBeVisible();
    await expect(rowOf(page, "Build server")).toHaveCount(0);

    await page.getByRole("button", { name: "More actions for Release pipeline" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete API key?" });
    await expect(confirm).toContainText("Release pipeline");
    await expect(confirm).toContainText("permanent and cannot be undone");
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText("No API keys yet")).toBeVisible();

    const refused = await request.get("/api/v1/users/me", {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(refused.status()).toBe(401);
  });

  test("Delete all removes every key of the user", async ({ page, request }) => {
    await signInAsNewDeveloper(page);
    const tokens: string[] = [];
    for (const description of ["First script", "Second script"]) {
      tokens.push(await generateKey(page, description));
      await page.getByRole("button", { name: "Done" }).click();
      await expect(rowOf(page, description)).toBeVisible();
    }
    await expect(page.getByText("2 of 5 active keys used")).toBeVisible();

    await page.getByRole("button", { name: "Delete all" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete all your API keys?" });
    await expect(confirm).toContainText("All 2 of your API keys");
    await expect(confirm).toContainText("cannot be undone");
    await confirm.getByRole("button", { name: "Delete all" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByText("No API keys yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete all" })).toBeDisabled();
    await expect(page.getByText("0 of 5 active keys used")).toBeVisible();
    for (const token of tokens) {
      const response = await request.get("/api/v1/users/me", {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status()).toBe(401);
    }
  });

  test("the token is not in the page once the dialog is closed and the page reloaded", async ({
    page,
  }) => {
    await signInAsNewDeveloper(page);
    const token = await generateKey(page, "Shown once");
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await expect(rowOf(page, "Shown once")).toBeVisible();
    expect(await page.content()).not.toContain(token);
    const html = await (await page.request.get(PAGE)).text();
    expect(html).toContain("Shown once");
    expect(html).not.toContain(token);
  });

  test("at the limit the page says so and Generate is disabled", async ({ page }) => {
    const user = await createUser("acme", { developer: true });
    const now = Date.now();
    for (let i = 1; i <= 5; i++) {
      // The first expires within the week, so it carries the warning.
      await insertKey(user, {
        description: `Limit key ${i}`,
        expiresAt: new Date(now + (i === 1 ? 2 : 30) * 86_400_000),
      });
    }
    await signIn(page, user.email, user.password);
    await expect(page.getByText("5 of 5 active keys used.")).toBeVisible();
    const generate = page.getByRole("button", { name: "Generate new key" });
    await expect(generate).toBeDisabled();
    await expect(generate).toHaveAccessibleDescription(/5 of 5 active keys used/);
    await expect(rowOf(page, "Limit key 1").getByText("Expires soon")).toBeVisible();
    await expect(rowOf(page, "Limit key 2").getByText("Expires soon")).toHaveCount(0);
    await expectNoSeriousViolations(page);
  });

  test("a developer of a tenant with keys disabled is told so and cannot generate", async ({
    page,
  }) => {
    // A tenant of its own: other specs switch keys on for the demo tenants.
    const developer = await createUser(await createTenant(false), { developer: true });
    await signIn(page, developer.email, developer.password);
    await expect(page.getByText("API keys are disabled for your tenant.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate new key" })).toHaveCount(0);
    await expectNoSeriousViolations(page);
  });

  test("a user without the Developer role is told so and cannot generate", async ({ page }) => {
    await signIn(page, "user@acme.test");
    await expect(page.getByText("You need the Developer role to generate API keys.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate new key" })).toHaveCount(0);
  });

  test("the page with the demo developer's keys passes axe", async ({ page }) => {
    await signIn(page, "dev@acme.test");
    await expect(rowOf(page, "Local development")).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});
