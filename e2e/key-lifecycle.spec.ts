import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { bearer, clientAddress, errorShape, makeToken, userWithKey } from "./api-helpers";
import {
  createTenant,
  createUser,
  e2eDatabaseUrl,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  insertKey,
  signIn,
  test,
} from "./fixtures";

/** Regenerates a key from the profile table's `More` menu; returns the new token shown once. */
async function regenerateFromTable(page: Page, description: string, grace: string) {
  await page.goto("/profile/api-keys");
  await page.getByRole("button", { name: `More actions for ${description}` }).click();
  await page.getByRole("menuitem", { name: "Regenerate" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate API key" });
  await dialog.getByLabel("Old key keeps working for").selectOption({ label: grace });
  await dialog.getByRole("button", { name: "Regenerate" }).click();
  const shown = page.getByRole("dialog", { name: "Copy your new API key" });
  const token = await shown.getByLabel("API key").inputValue();
  expect(token).toMatch(/^kw_[0-9A-Za-z]{38}$/);
  await shown.getByRole("button", { name: "Done" }).click();
  return token;
}

async function callWith(page: Page, token: string): Promise<number> {
  const response = await page.request.get("/api/v1/api-keys", { headers: bearer(token) });
  return response.status();
}

test.describe("regenerating a key", () => {
  test("with 1 hour of grace both keys work, and each key's page links to the other", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const user = await createUser(tenant, { developer: true });
    const old = await insertKey(user, { description: "Nightly export" });
    await signIn(page, user.email, user.password);

    const token = await regenerateFromTable(page, "Nightly export", "1 hour");
    expect(await callWith(page, old.token)).toBe(200);
    expect(await callWith(page, token)).toBe(200);

    const rows = await e2eDb().apiKey.findMany({ where: { ownerId: user.id } });
    const created = rows.find((row) => row.id !== old.id)!;
    expect(created.replacesId).toBe(old.id);
    const oldRow = rows.find((row) => row.id === old.id)!;
    expect(Math.abs(oldRow.expiresAt.getTime() - (Date.now() + 3_600_000))).toBeLessThan(60_000);

    await page.goto(`/profile/api-keys/${created.id}`);
    await page.getByRole("link", { name: new RegExp(old.id) }).click();
    await expect(page).toHaveURL(new RegExp(`/profile/api-keys/${old.id}$`));
    await expect(page.getByText("Replaced by", { exact: true })).toBeVisible();
    await page.getByRole("link", { name: new RegExp(created.id) }).click();
    await expect(page).toHaveURL(new RegExp(`/profile/api-keys/${created.id}$`));
    await expectNoSeriousViolations(page);
  });

  test("with no grace the old key is refused on the next request, the new one works", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true, developer: true });
    const old = await insertKey(admin, { description: "Deploy bot" });
    await signIn(page, admin.email, admin.password);
    // Used once first, so that the server has read (and may keep) the old key's row.
    expect(await callWith(page, old.token)).toBe(200);

    // From the key's own page this time.
    await page.goto(`/profile/api-keys/${old.id}`);
    await page.getByRole("button", { name: "Regenerate" }).click();
    const dialog = page.getByRole("dialog", { name: "Regenerate API key" });
    await dialog.getByLabel("Old key keeps working for").selectOption("PT0S");
    await dialog.getByRole("button", { name: "Regenerate" }).click();
    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    const token = await shown.getByLabel("API key").inputValue();

    expect(await callWith(page, old.token)).toBe(401);
    expect(await callWith(page, token)).toBe(200);

    await shown.getByRole("button", { name: "Done" }).click();
    const created = await e2eDb().apiKey.findFirstOrThrow({ where: { replacesId: old.id } });
    await expect(page).toHaveURL(new RegExp(`/profile/api-keys/${created.id}$`));
    await expect(page.getByRole("link", { name: new RegExp(old.id) })).toBeVisible();
    // The administration's pages link the two as well.
    await page.goto(`/admin/api-keys/${old.id}`);
    await page.getByRole("link", { name: new RegExp(created.id) }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/api-keys/${created.id}$`));
    const events = await e2eDb().auditEvent.findMany({
      where: { tenantId: admin.tenantId, eventType: "api-key.regenerated" },
    });
    expect(events.map((event) => event.apiKeyId)).toEqual([old.id]);
  });
});

test.describe("POST /api/v1/api-keys/{id}/regenerate", () => {
  test("answers 201 with the new key, its token and what it replaces; refuses what it must", async ({
    request,
  }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    const url = `/api/v1/api-keys/${user.key.id}/regenerate`;
    const headers = { ...bearer(user.key.token), "content-type": "application/json" };

    for (const gracePeriod of ["P8D", "PT0", "1 hour", "-PT1H", "P1M"]) {
      const bad = await request.post(url, { headers, data: { gracePeriod } });
      expect(bad.status(), gracePeriod).toBe(400);
      expect((await bad.json()).errors[0].source).toEqual({ pointer: "/gracePeriod" });
    }
    const other = await userWithKey(slug);
    const foreign = await request.post(`/api/v1/api-keys/${other.key.id}/regenerate`, {
      headers,
      data: {},
    });
    expect(foreign.status()).toBe(404);

    const response = await request.post(url, { headers, data: { gracePeriod: "PT1H" } });
    expect(response.status()).toBe(201);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        "created",
        "createdByUser",
        "description",
        "expiry",
        "id",
        "lastUpdated",
        "lastUsed",
        "replaces",
        "status",
        "sub",
        "subType",
        "tenantId",
        "token",
      ].sort(),
    );
    expect(body).toMatchObject({ replaces: user.key.id, status: "active", sub: user.id });
    const again = await request.post(`/api/v1/api-keys/${body.id}/regenerate`, {
      headers: bearer(body.token),
    });
    expect(again.status()).toBe(201);
    // The first key is ending: its grace period is no licence to regenerate it twice.
    const twice = await request.post(url, { headers: bearer(body.token), data: {} });
    expect(twice.status()).toBe(409);
    const old = await e2eDb().apiKey.findUniqueOrThrow({ where: { id: body.id } });
    expect(old.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 86_400_000);
  });

  test("refuses a revoked key with 409", async ({ request }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    const spare = await insertKey(user, { revoked: true });
    const response = await request.post(`/api/v1/api-keys/${spare.id}/regenerate`, {
      headers: { ...bearer(user.key.token), "content-type": "application/json" },
      data: {},
    });
    expect(response.status()).toBe(409);
  });
});

test.describe("POST /api/v1/api-keys/leaks", () => {
  test("answers 202 alike for any tokens and revokes exactly the keys they are", async ({
    request,
  }) => {
    const [first, second] = [await createTenant(), await createTenant()];
    const a = await userWithKey(first);
    const b = await userWithKey(first);
    const c = await userWithKey(second);
    const bystander = await userWithKey(second);
    const broken = (token: string) => token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    const tokens = [
      a.key.token,
      b.key.token,
      c.key.token,
      broken(bystander.key.token),
      broken(makeToken()),
      makeToken(),
    ];
    const headers = { "x-forwarded-for": clientAddress() };
    const reported = await request.post("/api/v1/api-keys/leaks", { headers, data: { tokens } });
    expect(reported.status()).toBe(202);
    expect(await reported.json()).toEqual({ received: 6 });
    const junk = await request.post("/api/v1/api-keys/leaks", {
      headers: { "x-forwarded-for": clientAddress() },
      data: { tokens: Array.from({ length: 6 }, () => broken(makeToken())) },
    });
    expect(junk.status()).toBe(202);
    expect(await junk.json()).toEqual({ received: 6 });

    const revoked = await e2eDb().apiKey.findMany({
      where: { tenantId: { in: [a.tenantId, c.tenantId] }, revokedAt: { not: null } },
      select: { id: true },
    });
    expect(revoked.map((key) => key.id).sort()).toEqual([a.key.id, b.key.id, c.key.id].sort());
    const events = await e2eDb().auditEvent.findMany({
      where: { eventType: "api-key.leaked", tenantId: { in: [a.tenantId, c.tenantId] } },
    });
    expect(events.map((event) => event.apiKeyId).sort()).toEqual(
      [a.key.id, b.key.id, c.key.id].sort(),
    );
    expect(events.every((event) => event.userId === null && event.source === "system")).toBe(true);
    expect((await request.get("/api/v1/users/me", { headers: bearer(a.key.token) })).status()).toBe(
      401,
    );
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(bystander.key.token) })).status(),
    ).toBe(200);
  });

  test("refuses what is not a list of 1 to 1,000 strings with a 400, and limits each address", async ({
    request,
  }) => {
    const ip = clientAddress();
    for (const data of [
      {},
      { tokens: [] },
      { tokens: "kw_x" },
      { tokens: [1] },
      { tokens: Array.from({ length: 1001 }, () => "kw_x") },
    ]) {
      const response = await request.post("/api/v1/api-keys/leaks", {
        headers: { "x-forwarded-for": clientAddress() },
        data,
      });
      expect(response.status(), JSON.stringify(data).slice(0, 40)).toBe(400);
      expect((await errorShape(response)).errors).toHaveLength(1);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await request.post("/api/v1/api-keys/leaks", {
        headers: { "x-forwarded-for": ip },
        data: { tokens: [makeToken()] },
      });
      statuses.push(response.status());
      if (response.status() === 429) expect(response.headers()["retry-after"]).toMatch(/^\d+$/);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

test("a tenant admin reports pasted tokens and sees only their own tenant's keys", async ({
  page,
}) => {
  const [mine, theirs] = [await createTenant(), await createTenant()];
  const admin = await createUser(mine, { admin: true });
  const developer = await createUser(mine, { developer: true });
  const outsider = await createUser(theirs, { developer: true });
  const ours = await insertKey(developer, { description: "CI deploy key" });
  const foreign = await insertKey(outsider, { description: "Secret other tenant key" });
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/api-keys");
  await page.getByRole("button", { name: "Report leaked keys" }).click();
  const dialog = page.getByRole("dialog", { name: "Report leaked keys" });
  await dialog
    .getByLabel("Text with leaked tokens")
    .fill(`export TOKEN=${ours.token}\nother=${foreign.token} junk kw_short`);
  await dialog.getByRole("button", { name: "Revoke leaked keys" }).click();
  await expect(dialog.getByText("2 tokens reported.")).toBeVisible();
  await expect(dialog.getByRole("link", { name: "CI deploy key" })).toBeVisible();
  await expect(dialog.getByText("revoked now; its owner is mailed")).toBeVisible();
  await expect(dialog.getByText("Secret other tenant key")).toHaveCount(0);
  await expect(dialog.getByText(foreign.id)).toHaveCount(0);
  await expectNoSeriousViolations(page, '[role="dialog"]');
  const keys = await e2eDb().apiKey.findMany({
    where: { id: { in: [ours.id, foreign.id] } },
    select: { revokedAt: true },
  });
  expect(keys.every((key) => key.revokedAt !== null)).toBe(true);
});

test("expiry reminders show in the console after npm run notify", async ({ page }) => {
  test.slow();
  const tenant = await createTenant();
  const user = await createUser(tenant, { developer: true });
  await insertKey(user, {
    description: "Expiring reporting key",
    expiresAt: new Date(Date.now() + 2 * 86_400_000),
  });
  await promisify(execFile)("npm", ["run", "--silent", "notify"], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), KEYWARD_SMTP_URL: "" },
  });
  await signIn(page, user.email, user.password);
  await page.goto("/profile/api-keys");
  await expect(page.getByRole("link", { name: "1 key expiring soon" })).toBeVisible();
  const banner = page.locator("#expiring-keys");
  await expect(banner).toContainText("1 of your keys expires soon.");
  await expect(banner.getByRole("link", { name: "Expiring reporting key" })).toBeVisible();
});

test("the unused-key limit is a tenant setting", async ({ page }) => {
  const tenant = await createTenant();
  const admin = await createUser(tenant, { admin: true });
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/settings");
  const field = page.getByLabel("Revoke keys unused for N days");
  await expect(field).toHaveValue("");
  await field.fill("0");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/from 1 to 3650/).first()).toBeVisible();
  await field.fill("30");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Settings saved.").first()).toBeVisible();
  const row = await e2eDb().tenant.findUniqueOrThrow({
    where: { id: admin.tenantId },
    select: { revokeUnusedAfterDays: true },
  });
  expect(row.revokeUnusedAfterDays).toBe(30);
});
