import type { Locator, Page, TestInfo } from "@playwright/test";
import {
  createTenant,
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  insertKey,
  signIn,
  test,
  type TestUser,
} from "./fixtures";

/** The longest description a key may have (SPEC §3), as one unbroken word. */
const LONG_NAME = "W".repeat(256);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844, touch: true },
  { name: "laptop", width: 1280, height: 800, touch: false },
  { name: "desktop", width: 1920, height: 1080, touch: false },
];

/**
 * A tenant whose admin owns the longest possible key name (the newest key, so the first row of
 * both key tables), used and recently, beside ordinary keys and users.
 */
async function arrangeTenant(): Promise<{ admin: TestUser }> {
  const tenant = await createTenant();
  const admin = await createUser(tenant, { admin: true, developer: true });
  const colleague = await createUser(tenant, { developer: true });
  await insertKey(colleague, {
    description: "Colleague's nightly export",
    createdAt: new Date(Date.now() - 2 * DAY),
    expiresAt: new Date(Date.now() + 20 * DAY),
  });
  await insertKey(admin, {
    description: "Deploy hook",
    createdAt: new Date(Date.now() - 3 * DAY),
    expiresAt: new Date(Date.now() + 3 * DAY),
  });
  const long = await insertKey(admin, {
    description: LONG_NAME,
    createdAt: new Date(Date.now() - HOUR),
    expiresAt: new Date(Date.now() + 30 * DAY),
  });
  const lastUsedAt = new Date();
  await e2eDb().apiKey.update({ where: { id: long.id }, data: { lastUsedAt } });
  await e2eDb().apiKeyUsage.create({
    data: {
      apiKeyId: long.id,
      tenantId: admin.tenantId,
      bucketStart: new Date(Math.floor(Date.now() / HOUR) * HOUR),
      requests: 42,
      lastUsedAt,
      lastIp: "198.51.100.7",
    },
  });
  return { admin };
}

/** The document is no wider than the viewport: nothing needs scrolling sideways. */
async function expectNoSidewaysScroll(page: Page, width: number, what: string) {
  const measured = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  // With touch emulation Chromium widens the layout viewport to an overflowing page, so the
  // viewport's own width is the bar, not only innerWidth.
  expect(measured.scrollWidth, `${what}: document width`).toBeLessThanOrEqual(measured.innerWidth);
  expect(measured.scrollWidth, `${what}: document width`).toBeLessThanOrEqual(width);
}

/** `target` lies inside the viewport (once it has stopped moving), after scrolling vertically only. */
async function expectInViewport(page: Page, target: Locator, what: string) {
  await target.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    window.scrollBy(0, rect.top - window.innerHeight / 3);
  });
  const viewport = page.viewportSize();
  expect(viewport).not.toBeNull();
  const edges = async () => {
    const box = await target.boundingBox();
    if (!box || !viewport) return null;
    return {
      left: box.x >= 0,
      right: box.x + box.width <= viewport.width,
      top: box.y >= 0,
      bottom: box.y + box.height <= viewport.height,
    };
  };
  // Dialogs and toasts slide in: their box settles after the animation.
  await expect
    .poll(edges, { message: `${what} lies inside the viewport` })
    .toEqual({ left: true, right: true, top: true, bottom: true });
}

/** Nothing inside `target` (a dialog, a toast) is wider than the box itself. */
async function expectNoOverflow(target: Locator, what: string) {
  const { scrollWidth, clientWidth } = await target.evaluate((element) => ({
    scrollWidth: element.scrollWidth,
    clientWidth: element.clientWidth,
  }));
  expect(scrollWidth, `${what}: content width`).toBeLessThanOrEqual(clientWidth);
}

/** A full-page screenshot, kept in the test's output folder and attached to its report. */
async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** The status and the `More` menu of the first row that has one. */
async function expectRowControlsVisible(page: Page, table: Locator, what: string) {
  const row = table
    .locator("tbody > tr")
    .filter({ has: page.getByRole("button", { name: /^More actions/ }) })
    .first();
  await expectInViewport(page, row.locator('td[data-column="status"]'), `${what}: status`);
  await expectInViewport(
    page,
    row.getByRole("button", { name: /^More actions/ }),
    `${what}: row actions`,
  );
}

const COLOR_SCHEMES = ["light", "dark"] as const;

for (const viewport of VIEWPORTS)
  for (const colorScheme of COLOR_SCHEMES) {
    test.describe(`at ${viewport.width}×${viewport.height}, ${colorScheme}`, () => {
      test.use({
        viewport: { width: viewport.width, height: viewport.height },
        hasTouch: viewport.touch,
        isMobile: viewport.touch,
        colorScheme,
      });
      const shot = `${viewport.name}-${colorScheme}`;

      test("every console page fits the viewport, with the longest key name present", async ({
        page,
      }, testInfo) => {
        test.slow();
        const { admin } = await arrangeTenant();
        const fits = (what: string) => expectNoSidewaysScroll(page, viewport.width, what);

        await page.goto("/login");
        await fits("login");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-login`);
        await signIn(page, admin.email, admin.password);

        await page.goto("/profile/api-keys");
        const ownKeys = page.getByRole("table", { name: "Your API keys" });
        await expect(ownKeys.locator("tbody > tr")).toHaveCount(2);
        await fits("profile keys");
        if (!viewport.touch) {
          await expectNoOverflow(ownKeys.locator(".."), "profile keys table");
        }
        await expectRowControlsVisible(page, ownKeys, "profile keys");
        await expectInViewport(
          page,
          page.getByRole("button", { name: "Delete all" }),
          "Delete all",
        );
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-profile-keys`);

        await page.getByRole("button", { name: "Generate new key" }).click();
        const generate = page.getByRole("dialog", { name: "Generate new key" });
        await expectInViewport(page, generate, "Generate dialog");
        await snapshot(page, testInfo, `${shot}-generate-dialog`);
        await generate.getByRole("button", { name: "Cancel" }).click();

        await page.getByRole("button", { name: `More actions for ${LONG_NAME}` }).click();
        await page.getByRole("menuitem", { name: "Rename" }).click();
        const rename = page.getByRole("dialog", { name: "Rename API key" });
        await expectInViewport(page, rename, "Rename dialog");
        await expectNoOverflow(rename, "Rename dialog");
        await rename.getByRole("button", { name: "Save" }).click();
        const toast = page.locator("[data-sonner-toast]").filter({ hasText: "renamed" });
        await expect(toast).toBeVisible();
        await expectInViewport(page, toast, "rename toast");
        await expectNoOverflow(toast, "rename toast");
        await fits("profile keys with a toast");

        await page.goto("/admin/api-keys");
        const allKeys = page.getByRole("table", { name: "API keys of the tenant" });
        await expect(allKeys.locator("tbody > tr")).toHaveCount(3);
        await fits("admin keys");
        if (!viewport.touch) {
          // Wide enough for every column: nothing to scroll sideways inside the table's box either.
          await expectNoOverflow(allKeys.locator(".."), "admin keys table");
        }
        await expectRowControlsVisible(page, allKeys, "admin keys");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-admin-keys`);
        await page.getByRole("button", { name: `More actions for ${LONG_NAME}` }).click();
        await expectInViewport(page, page.getByRole("menuitem", { name: "Revoke" }), "Revoke item");
        await page.getByRole("menuitem", { name: "Revoke" }).click();
        const confirm = page.getByRole("alertdialog");
        await expectInViewport(page, confirm, "Revoke confirmation");
        await expectNoOverflow(confirm, "Revoke confirmation");
        await snapshot(page, testInfo, `${shot}-revoke-dialog`);
        await confirm.getByRole("button", { name: "Cancel" }).click();

        const nav = page.getByRole("navigation", { name: "Main" });
        const menu = nav.getByRole("button", { name: "Menu" });
        if (viewport.touch) {
          // On a phone the sections fold behind one button.
          await expect(nav.getByRole("link", { name: "Users" })).toBeHidden();
          await menu.click();
          await expect(menu).toHaveAttribute("aria-expanded", "true");
          await nav.getByRole("link", { name: "Users" }).click();
          await expect(page).toHaveURL(/\/admin\/users$/);
          await expect(menu).toHaveAttribute("aria-expanded", "false");
        } else {
          await expect(menu).toBeHidden();
          await nav.getByRole("link", { name: "Users" }).click();
          await expect(page).toHaveURL(/\/admin\/users$/);
        }
        const users = page.getByRole("table", { name: "Users of the tenant" });
        await fits("admin users");
        await expectRowControlsVisible(page, users, "admin users");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-admin-users`);

        await page.goto("/admin/settings");
        await expect(page.getByRole("switch", { name: "Enable API keys" })).toBeVisible();
        await fits("admin settings");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-admin-settings`);

        await page.goto("/admin/events");
        const topKeys = page.getByRole("table", { name: /Top keys by requests/ });
        await expect(topKeys).toContainText(LONG_NAME);
        await fits("admin events");
        if (!viewport.touch) await expectNoOverflow(topKeys.locator(".."), "top keys table");
        const firstEvent = page
          .getByRole("region", { name: "Audit events" })
          .locator("tbody > tr")
          .first();
        await expectInViewport(page, firstEvent.getByRole("button", { name: "Expand" }), "Expand");
        await firstEvent.getByRole("button", { name: "Expand" }).click();
        await expect(page.getByRole("region", { name: /^Details of/ })).toContainText(LONG_NAME);
        await fits("admin events with details");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-admin-events`);

        await page.goto("/docs/api");
        await fits("REST API docs");
        await expectNoSeriousViolations(page);
        await snapshot(page, testInfo, `${shot}-docs-api`);
      });
    });
  }
