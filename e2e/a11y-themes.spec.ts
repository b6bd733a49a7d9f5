import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createTenant, createUser, expect, insertKey, signIn, test } from "./fixtures";

/** Every page a signed-in admin and developer can reach, and the sign-in page. */
function consolePages(keyId: string): string[] {
  return [
    "/profile/api-keys",
    `/profile/api-keys/${keyId}`,
    "/profile/sessions",
    "/admin/settings",
    "/admin/api-keys",
    `/admin/api-keys/${keyId}`,
    "/admin/events",
    "/admin/users",
    "/docs/api",
  ];
}

/** Serious and critical violations, and any about landmarks, whatever their impact. */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const failing = violations.filter(
    (v) =>
      v.impact === "serious" ||
      v.impact === "critical" ||
      v.id.startsWith("landmark") ||
      v.id === "region",
  );
  // Soft: one run lists every page's violations.
  expect
    .soft(
      failing.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`),
      what,
    )
    .toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`in the ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("every page passes axe, landmarks included", async ({ page }) => {
      test.slow();
      const tenant = await createTenant();
      const admin = await createUser(tenant, { admin: true, developer: true });
      const key = await insertKey(admin, { description: "Nightly export" });

      await page.goto("/login");
      // The system's setting reaches the page: its background follows it (read as sRGB, 0-255).
      const brightness = await page.evaluate(() => {
        const context = document.createElement("canvas").getContext("2d");
        if (!context) return NaN;
        context.fillStyle = getComputedStyle(document.body).backgroundColor;
        context.fillRect(0, 0, 1, 1);
        const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
        return (r + g + b) / 3;
      });
      if (colorScheme === "dark") expect(brightness).toBeLessThan(60);
      else expect(brightness).toBeGreaterThan(230);
      await expectAccessible(page, "/login");

      await signIn(page, admin.email, admin.password);
      for (const path of consolePages(key.id)) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectAccessible(page, path);
      }

      // Dialogs too: the one that shows a token once, over the page.
      await page.goto("/profile/api-keys");
      await page.getByRole("button", { name: "Generate new key" }).click();
      await expectAccessible(page, "Generate dialog");
    });
  });
}
