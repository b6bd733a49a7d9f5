import {
  actUntilHidden,
  actUntilVisible,
  createTenant,
  createUser,
  expect,
  insertKey,
  signIn,
  test,
} from "./fixtures";

test.describe("the console from the keyboard", () => {
  test("Skip to content is the first stop and lands on the page itself", async ({ page }) => {
    const developer = await createUser(await createTenant(), { developer: true });
    await signIn(page, developer.email, developer.password);
    await page.goto("/profile/api-keys");

    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    // The next stop is the page's first control, past the header and the navigation.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Generate new key" })).toBeFocused();
  });

  test("closing a dialog puts focus back on the control that opened it", async ({ page }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true, developer: true });
    await insertKey(admin, { description: "Deploy hook" });
    await signIn(page, admin.email, admin.password);
    await page.goto("/profile/api-keys");

    const generate = page.getByRole("button", { name: "Generate new key" });
    await generate.click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await expect(generate).toBeFocused();

    // From a row's `More` menu: focus goes back to that menu's button, after Save and Cancel.
    const more = page.getByRole("button", { name: "More actions for Deploy hook" });
    await more.click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const rename = page.getByRole("dialog", { name: "Rename API key" });
    await rename.getByLabel("Description").fill("Deploy hook v2");
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(rename).toBeHidden();
    const renamed = page.getByRole("button", { name: "More actions for Deploy hook v2" });
    await expect(renamed).toBeFocused();

    await renamed.click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await expect(renamed).toBeFocused();

    await page.goto("/admin/api-keys");
    const revokeMore = page.getByRole("button", { name: "More actions for Deploy hook v2" });
    await revokeMore.click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await expect(revokeMore).toBeFocused();
  });

  test("Escape, the close button or a click outside ask before the token is gone", async ({
    page,
  }) => {
    const developer = await createUser(await createTenant(), { developer: true });
    await signIn(page, developer.email, developer.password);
    await page.goto("/profile/api-keys");

    const generate = page.getByRole("button", { name: "Generate new key" });
    await generate.click();
    const dialog = page.getByRole("dialog", { name: "Generate new key" });
    await dialog.getByLabel("Description").fill("Shown once");
    await dialog.getByRole("button", { name: "Generate" }).click();
    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    const token = shown.getByLabel("API key");
    await expect(token).toBeFocused();
    const asking = page.getByRole("alertdialog", { name: "Have you copied the key?" });

    await actUntilVisible(() => page.keyboard.press("Escape"), asking);
    await asking.getByRole("button", { name: "Go back" }).click();
    await expect(asking).toBeHidden();
    await expect(token).toHaveValue(/^kw_/);

    await shown.getByRole("button", { name: "Close" }).click();
    // Escape on the question goes back to the token, too (once the question holds the focus).
    await expect(asking.getByRole("button", { name: "Go back" })).toBeFocused();
    await actUntilHidden(() => page.keyboard.press("Escape"), asking);
    await expect(token).toHaveValue(/^kw_/);

    await actUntilVisible(() => page.mouse.click(5, 5), asking);
    await asking.getByRole("button", { name: "Yes, close" }).click();
    await expect(shown).toBeHidden();
    await expect(asking).toBeHidden();
    await expect(generate).toBeFocused();
    await expect(page.getByRole("table", { name: "Your API keys" })).toContainText("Shown once");
  });
});
