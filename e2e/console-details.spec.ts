import { createTenant, createUser, expect, insertKey, signIn, signOut, test } from "./fixtures";

test.describe("console details", () => {
  test("times read in the viewer's zone and relative to now, with the exact UTC time on hover", async ({
    browser,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true, developer: true });
    const createdAt = new Date(Date.now() - 3 * 3_600_000 - 60_000);
    const key = await insertKey(admin, { description: "Timed key", createdAt });
    // A viewer in Tokyo (UTC+9, no daylight saving) sees Tokyo's clock.
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    await signIn(page, admin.email, admin.password);

    const utc = `${createdAt.toISOString().slice(0, 10)} ${createdAt.toISOString().slice(11, 19)} UTC`;
    const tokyo = new Intl.DateTimeFormat("en-US", {
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: "Asia/Tokyo",
    }).format(createdAt);
    await page.goto("/profile/api-keys");
    const created = page
      .getByRole("table", { name: "Your API keys" })
      .locator('td[data-column="created"] time');
    await expect(created).toHaveAttribute("title", utc);
    await expect(created).toContainText("3 hours ago");
    await expect(created).toContainText(tokyo);

    await page.goto("/admin/api-keys");
    const adminCreated = page
      .getByRole("table", { name: "API keys of the tenant" })
      .locator('td[data-column="created"] time')
      .first();
    await expect(adminCreated).toHaveAttribute("title", utc);
    await expect(adminCreated).toContainText("3 hours ago");

    await page.goto(`/profile/api-keys/${key.id}`);
    const detail = page.locator(`time[datetime="${createdAt.toISOString()}"]`).first();
    await expect(detail).toHaveAttribute("title", utc);
    await expect(detail).toContainText("(3 hours ago)");
    await context.close();
  });

  test("a wrong password keeps the email; signing out says so", async ({ page }) => {
    const developer = await createUser(await createTenant(), { developer: true });
    await page.goto("/login");
    await page.getByLabel("Email").fill(developer.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Incorrect email or password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(developer.email);

    await page.getByLabel("Password").fill(developer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await signOut(page);
    await expect(page.getByRole("status")).toHaveText("You are signed out.");
  });

  test("a tenant admin without Developer is pointed to Users", async ({ page }) => {
    const admin = await createUser(await createTenant(), { admin: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/profile/api-keys");
    await expect(page.getByText("You need the Developer role to generate API keys.")).toBeVisible();
    await page.getByRole("link", { name: "Administration → Users" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
  });

  test("Events: a key's first characters find its events, with a count; From after To is explained", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true, developer: true });
    await signIn(page, admin.email, admin.password);
    const ids: string[] = [];
    for (const description of ["First", "Second"]) {
      const response = await page.request.post("/api/v1/api-keys", { data: { description } });
      expect(response.status()).toBe(201);
      ids.push((await response.json()).id);
    }

    await page.goto("/admin/events");
    const filters = page.getByRole("form", { name: "Filter events" });
    const rows = page.getByRole("region", { name: "Audit events" }).locator("tbody > tr");
    await expect(page.getByRole("status").filter({ hasText: /events? in all/ })).toHaveText(
      "2 events in all.",
    );

    await filters.getByLabel("API key ID").fill(ids[0].slice(0, 8).toUpperCase());
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("api-key.created");
    await expect(page.getByText("1 event match.")).toBeVisible();

    await filters.getByLabel("API key ID").fill(ids[0].slice(0, 2));
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("at least 3 characters")).toBeVisible();

    await filters.getByLabel("API key ID").fill("");
    await filters.getByLabel("From").fill("2026-11-20");
    await filters.getByLabel("To").fill("2026-11-10");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("From is after To")).toBeVisible();
  });

  test("Events streams its usage after the session check: a developer still gets 403", async ({
    page,
  }) => {
    const developer = await createUser(await createTenant(), { developer: true });
    await signIn(page, developer.email, developer.password);
    const response = await page.goto("/admin/events");
    expect(response?.status()).toBe(403);
  });
});
