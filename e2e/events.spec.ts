import fs from "node:fs";
import type { Page } from "@playwright/test";
import { checkpointSignature, eventHash, GENESIS_HASH } from "../lib/audit/chain";
import { appendAuditEventRows, auditKey } from "./audit-events";
import {
  createTenant,
  createUser,
  e2eDb,
  expect,
  expectNoSeriousViolations,
  insertKey,
  newHexId,
  signIn,
  test,
  type TestUser,
} from "./fixtures";

const HOUR = 3_600_000;

/** Appends one event per `data` to the tenant's chain, as recordEvent would: the chain stays valid. */
async function appendEvents(
  user: TestUser,
  eventType: string,
  apiKeyId: string,
  data: Record<string, unknown>[],
): Promise<void> {
  await appendAuditEventRows(e2eDb(), user.tenantId, (end) => {
    let prevHash = end?.hash ?? GENESIS_HASH;
    let seq = end?.seq ?? 0;
    return data.map((datum) => {
      const content = {
        id: newHexId(),
        tenantId: user.tenantId,
        seq: ++seq,
        eventType,
        eventTime: new Date(),
        userId: user.id,
        apiKeyId,
        source: "console",
        ip: "198.51.100.7",
        userAgent: "Playwright arrangement",
        data: JSON.stringify(datum),
      };
      const row = { ...content, prevHash, hash: eventHash(auditKey(), prevHash, content) };
      prevHash = row.hash;
      return row;
    });
  });
}

/** A key of `owner`, created a week ago, with its `api-key.created` event. */
async function arrangeKey(owner: TestUser, description: string): Promise<string> {
  const { id } = await insertKey(owner, {
    description,
    createdAt: new Date(Date.now() - 8 * 24 * HOUR),
    expiresAt: new Date(Date.now() + 30 * 24 * HOUR),
  });
  await appendEvents(owner, "api-key.created", id, [{ description, requestedExpiry: "P90D" }]);
  return id;
}

/** Hourly usage buckets; hoursAgo 0 is the current hour. */
async function arrangeUsage(
  owner: TestUser,
  apiKeyId: string,
  buckets: [number, number][],
): Promise<void> {
  const current = Math.floor(Date.now() / HOUR) * HOUR;
  await e2eDb().apiKeyUsage.createMany({
    data: buckets.map(([hoursAgo, requests]) => {
      const start = new Date(current - hoursAgo * HOUR);
      return {
        apiKeyId,
        bucketStart: start,
        tenantId: owner.tenantId,
        requests,
        lastUsedAt: start,
        lastIp: "198.51.100.7",
      };
    }),
  });
}

function eventRows(page: Page) {
  return page.getByRole("region", { name: "Audit events" }).locator("tbody > tr");
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && char === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += char;
    }
  }
  return rows;
}

test.describe("Events: find excessive use and follow it to the key", () => {
  test("usage lists the busiest key first and flags its unusual activity", async ({ page }) => {
    // A tenant of its own, so that other specs' traffic cannot outrank these keys.
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const owner = await createUser(tenant, { developer: true });
    const spiking = await arrangeKey(owner, `Spiking ${owner.id.slice(0, 6)}`);
    const calm = await arrangeKey(owner, `Calm ${owner.id.slice(0, 6)}`);
    const history = Array.from({ length: 40 }, (_, i) => [i * 4 + 2, 2] as [number, number]);
    await arrangeUsage(owner, spiking, [[0, 300], ...history]);
    await arrangeUsage(owner, calm, [[0, 5]]);

    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/events");
    const top = page.getByRole("table", { name: /Top keys by requests/ });
    const firstRow = top.locator("tbody > tr").first();
    await expect(firstRow).toContainText(`Spiking ${owner.id.slice(0, 6)}`);
    await expect(firstRow.getByText("Unusual activity")).toBeVisible();
    const calmRow = top.locator("tbody > tr").filter({ hasText: `Calm ${owner.id.slice(0, 6)}` });
    await expect(calmRow).toBeVisible();
    await expect(calmRow.getByText("Unusual activity")).toHaveCount(0);
    await expect(
      firstRow.getByRole("link", { name: `Spiking ${owner.id.slice(0, 6)}`, exact: true }),
    ).toHaveAttribute("href", `/admin/api-keys?search=${spiking}`);
    await expect(
      page.getByRole("img", { name: /Requests per hour, last 24 hours: [\d,]+ requests/ }),
    ).toBeVisible();

    await page
      .getByRole("group", { name: "Period" })
      .getByRole("link", { name: "Last 7 days" })
      .click();
    await expect(page).toHaveURL(/period=7d/);
    await expect(page.getByRole("img", { name: /Requests per day, last 7 days/ })).toBeVisible();
    await expect(top.locator("tbody > tr").first()).toContainText(
      `Spiking ${owner.id.slice(0, 6)}`,
    );
    await expectNoSeriousViolations(page, "section[aria-labelledby=usage-heading]");
  });

  test("expand a key's event, copy its ID and find the key in API keys", async ({ page }) => {
    const owner = await createUser("acme", { developer: true });
    const keyId = await arrangeKey(owner, `Suspicious ${owner.id.slice(0, 6)}`);

    await signIn(page, "admin@acme.test");
    await page.goto("/admin/events");
    await expectNoSeriousViolations(page);
    await page.getByLabel("Event type").selectOption("api-key.created");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/eventType=api-key.created/);
    const row = eventRows(page).filter({ hasText: keyId });
    await row.getByRole("button", { name: "Expand" }).click();
    const details = page.getByRole("region", { name: "Details of api-key.created event" });
    await expect(details).toContainText(`${"E2E " + owner.id.slice(0, 6)} <${owner.email}>`);
    await expect(details).toContainText("198.51.100.7");
    await expect(details).toContainText("Playwright arrangement");
    await expectNoSeriousViolations(page);

    await details.getByRole("button", { name: "Copy" }).click();
    await expect(details.getByText("Copied", { exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(keyId);

    await details.getByRole("link", { name: "Find in API keys" }).click();
    await expect(page).toHaveURL(`/admin/api-keys?search=${keyId}`);
  });

  test("revoke the key found from its events", async ({ page }) => {
    const owner = await createUser("acme", { developer: true });
    const keyId = await arrangeKey(owner, `To revoke ${owner.id.slice(0, 6)}`);
    await signIn(page, "admin@acme.test");
    await page.goto(`/admin/api-keys?search=${keyId}`);
    const row = page.getByRole("row").filter({ hasText: keyId });
    await row.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await expect(row).toContainText("Revoked");
    await page.goto(`/admin/events?key=${keyId}&eventType=api-key.revoked`);
    await expect(eventRows(page)).toHaveCount(1);
  });

  test("filters narrow the list, survive a reload, page by cursor and export as CSV", async ({
    page,
  }) => {
    const owner = await createUser("acme", { developer: true });
    const keyId = await arrangeKey(owner, `Busy history ${owner.id.slice(0, 6)}`);
    await appendEvents(
      owner,
      "api-key.updated",
      keyId,
      Array.from({ length: 29 }, (_, i) => ({
        before: { description: `name ${i}` },
        after: { description: `name ${i + 1}, "quoted"` },
      })),
    );
    const other = await arrangeKey(owner, `Other ${owner.id.slice(0, 6)}`);

    await signIn(page, "admin@acme.test");
    await page.goto("/admin/events");
    await page.getByLabel("API key ID").fill(keyId);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`key=${keyId}`));
    await expect(eventRows(page)).toHaveCount(25);
    await expect(page.getByText("Showing 1–25")).toBeVisible();
    await expect(eventRows(page).filter({ hasText: other })).toHaveCount(0);

    await page.getByRole("link", { name: "Next" }).click();
    await expect(page.getByText("Showing 26–30")).toBeVisible();
    await expect(eventRows(page)).toHaveCount(5);
    await expect(eventRows(page).last()).toContainText("api-key.created");
    await page.getByRole("link", { name: "Previous" }).click();
    await expect(page.getByText("Showing 1–25")).toBeVisible();

    await page.getByLabel("User").selectOption(owner.id);
    await page.getByLabel("Event type").selectOption("api-key.created");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(eventRows(page)).toHaveCount(1);
    await page.reload();
    await expect(page.getByLabel("API key ID")).toHaveValue(keyId);
    await expect(page.getByLabel("Event type")).toHaveValue("api-key.created");
    await expect(page.getByLabel("User")).toHaveValue(owner.id);
    await expect(eventRows(page)).toHaveCount(1);

    await page.getByLabel("Event type").selectOption("");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(eventRows(page)).toHaveCount(25);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^keyward-events-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(fs.readFileSync(await download.path(), "utf8"));
    expect(rows[0]).toEqual([
      "eventTime",
      "eventType",
      "actorName",
      "actorEmail",
      "userId",
      "apiKeyId",
      "source",
      "ip",
      "userAgent",
      "id",
      "data",
    ]);
    const body = rows.slice(1);
    expect(body).toHaveLength(30);
    expect(new Set(body.map((row) => row[5]))).toEqual(new Set([keyId]));
    expect(body.filter((row) => row[1] === "api-key.updated")).toHaveLength(29);
    expect(JSON.parse(body[0][10])).toEqual({
      before: { description: "name 28" },
      after: { description: 'name 29, "quoted"' },
    });
  });

  test("an admin downloads the signed checkpoint of the log; others cannot", async ({
    page,
    browser,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const keyId = await arrangeKey(admin, "Checkpointed key");
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/events");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download checkpoint" }).click(),
    ]);
    const checkpoint = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    const head = await e2eDb().auditHead.findUniqueOrThrow({ where: { tenantId: admin.tenantId } });
    const last = await e2eDb().auditEvent.findFirstOrThrow({
      where: { tenantId: admin.tenantId },
      orderBy: { seq: "desc" },
    });
    expect(last.apiKeyId).toBe(keyId);
    expect(download.suggestedFilename()).toBe(`keyward-audit-checkpoint-${last.seq}.json`);
    expect(checkpoint).toEqual({
      tenantId: admin.tenantId,
      seq: last.seq,
      hash: last.hash,
      signedAt: head.signedAt.toISOString(),
      signature: checkpointSignature(auditKey(), { ...checkpoint, signedAt: head.signedAt }),
    });

    const developer = await createUser(tenant, { developer: true });
    const context = await browser.newContext();
    const other = await context.newPage();
    await signIn(other, developer.email, developer.password);
    const refused = await other.request.get("/admin/events/checkpoint");
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toBe("Only a tenant admin can download audit checkpoints.");
    await context.close();
  });

  test("GET /api/v1/audits answers admins in Qlik's shape and refuses others", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin@acme.test");
    const ok = await page.request.get("/api/v1/audits?limit=2");
    expect(ok.status()).toBe(200);
    const body = await ok.json();
    expect(body.data.length).toBeLessThanOrEqual(2);
    expect(body.links.self.href).toContain("/api/v1/audits?limit=2");
    if (body.data.length === 2) {
      expect(body.links.next.href).toContain("next=");
      const next = await page.request.get(body.links.next.href);
      expect(next.status()).toBe(200);
      const after = await next.json();
      expect(after.data[0]?.id).not.toBe(body.data[1].id);
      expect(after.links.prev.href).toContain("prev=");
    }
    const bad = await page.request.get("/api/v1/audits?limit=0");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).errors[0].source).toEqual({ parameter: "limit" });

    const developer = await browser.newContext();
    const devPage = await developer.newPage();
    await signIn(devPage, "dev@acme.test");
    expect((await devPage.request.get("/api/v1/audits")).status()).toBe(403);
    expect((await devPage.request.get("/admin/events/export")).status()).toBe(403);
    await developer.close();
  });
});
