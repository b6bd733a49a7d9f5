import type { Page } from "@playwright/test";
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

const DAY = 86_400_000;

interface ArrangedKey {
  name: string;
  owner: string;
  created: number;
  expires: number;
  lastUsed: number | null;
  status: "active" | "expired" | "revoked";
}

/** A user of the tenant with a known name, so that the owner column sorts predictably. */
async function owner(tenant: string, name: string): Promise<TestUser> {
  const user = await createUser(tenant, { developer: true });
  await e2eDb().user.update({ where: { id: user.id }, data: { name } });
  return user;
}

/**
 * Keys whose every sortable value is known and whose orders differ by column. Names share one
 * case and plain letters, so that SQLite's and PostgreSQL's collations agree.
 */
async function arrangeKeys(tenant: string): Promise<ArrangedKey[]> {
  const owners = {
    "Bea Brown": await owner(tenant, "Bea Brown"),
    "Al Adams": await owner(tenant, "Al Adams"),
    "Cy Clark": await owner(tenant, "Cy Clark"),
  };
  const now = Date.now();
  const plan: ArrangedKey[] = [
    { name: "delta", owner: "Al Adams", created: 5, expires: 40, lastUsed: 2, status: "active" },
    { name: "alpha", owner: "Cy Clark", created: 3, expires: 10, lastUsed: null, status: "active" },
    { name: "echo", owner: "Bea Brown", created: 9, expires: -1, lastUsed: 8, status: "expired" },
    { name: "bravo", owner: "Al Adams", created: 1, expires: 60, lastUsed: 1, status: "revoked" },
    {
      name: "charlie",
      owner: "Bea Brown",
      created: 7,
      expires: 20,
      lastUsed: null,
      status: "active",
    },
    {
      name: "foxtrot",
      owner: "Cy Clark",
      created: 2,
      expires: 30,
      lastUsed: 0.5,
      status: "active",
    },
  ];
  for (const key of plan) {
    const { id } = await insertKey(owners[key.owner as keyof typeof owners], {
      description: key.name,
      createdAt: new Date(now - key.created * DAY),
      expiresAt: new Date(now + key.expires * DAY),
      revoked: key.status === "revoked",
    });
    if (key.lastUsed !== null) {
      await e2eDb().apiKey.update({
        where: { id },
        data: { lastUsedAt: new Date(now - key.lastUsed * DAY) },
      });
    }
  }
  return plan;
}

/** Key names in the order the table shows them (each row's checkbox is named after its key). */
async function shownNames(page: Page): Promise<string[]> {
  const boxes = page.getByRole("table").getByRole("checkbox", { name: /^Select row / });
  const labels = await boxes.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute("aria-label") ?? ""),
  );
  return labels.map((label) => label.replace(/^Select row /, ""));
}

async function ariaSorts(page: Page): Promise<Record<string, string>> {
  return page
    .getByRole("table")
    .locator("th[aria-sort]")
    .evaluateAll((cells) =>
      Object.fromEntries(
        cells.map((cell) => [cell.textContent?.trim() ?? "", cell.getAttribute("aria-sort") ?? ""]),
      ),
    );
}

const STATUS_TIER = { active: 0, expired: 1, revoked: 2 };
const COLUMNS: {
  header: string;
  sort: string;
  /** Ascending order of the data; `value` checks columns whose ties the engine breaks. */
  ascending: (keys: ArrangedKey[]) => ArrangedKey[];
  value?: (key: ArrangedKey) => string | number;
}[] = [
  {
    header: "Name",
    sort: "name",
    ascending: (keys) => keys.toSorted((a, b) => (a.name < b.name ? -1 : 1)),
  },
  {
    header: "Owner",
    sort: "owner",
    ascending: (keys) => keys.toSorted((a, b) => (a.owner < b.owner ? -1 : 1)),
    value: (key) => key.owner,
  },
  {
    header: "Created",
    sort: "created",
    // Days ago: more is older, so earlier.
    ascending: (keys) => keys.toSorted((a, b) => b.created - a.created),
  },
  {
    header: "Expires",
    sort: "expires",
    ascending: (keys) => keys.toSorted((a, b) => a.expires - b.expires),
  },
  {
    header: "Last used",
    sort: "lastUsed",
    // Never used sorts before any use.
    ascending: (keys) =>
      keys.toSorted((a, b) => (b.lastUsed ?? Infinity) - (a.lastUsed ?? Infinity)),
    value: (key) => key.lastUsed ?? "never",
  },
  {
    header: "Status",
    sort: "status",
    // By status, newest first within one, and the exact mirror when descending.
    ascending: (keys) =>
      keys.toSorted(
        (a, b) => STATUS_TIER[a.status] - STATUS_TIER[b.status] || a.created - b.created,
      ),
  },
];

test.describe("sorting the tenant's keys", () => {
  test("each sortable column sorts both ways, from the header, with aria-sort", async ({
    page,
  }) => {
    test.slow();
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const keys = await arrangeKeys(tenant);
    const byName = new Map(keys.map((key) => [key.name, key]));
    const headers = Object.fromEntries(COLUMNS.map((column) => [column.header, "none"]));

    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/api-keys");
    // Newest first until a header is chosen.
    expect(await ariaSorts(page)).toEqual({ ...headers, Created: "descending" });
    expect(await shownNames(page)).toEqual(
      keys.toSorted((a, b) => a.created - b.created).map((key) => key.name),
    );

    for (const column of COLUMNS) {
      const cell = page.getByRole("columnheader", { name: column.header, exact: true });
      const button = cell.getByRole("button", { name: column.header, exact: true });
      for (const direction of ["ascending", "descending"] as const) {
        await button.click();
        const sort = direction === "ascending" ? column.sort : `-${column.sort}`;
        await expect
          .poll(() => new URL(page.url()).searchParams.get("sort") ?? "-created")
          .toBe(sort);
        await expect(cell).toHaveAttribute("aria-sort", direction);
        expect(await ariaSorts(page)).toEqual({ ...headers, [column.header]: direction });
        const ascending = column.ascending(keys);
        const expected = direction === "ascending" ? ascending : ascending.toReversed();
        const shown = await shownNames(page);
        const value = column.value;
        if (value) {
          const shownValues = shown.map((name) => value(byName.get(name)!));
          expect(shownValues, `${column.header} ${direction}`).toEqual(expected.map(value));
          expect(shown.toSorted()).toEqual(keys.map((key) => key.name).toSorted());
        } else {
          expect(shown, `${column.header} ${direction}`).toEqual(expected.map((key) => key.name));
        }
      }
    }
    await expectNoSeriousViolations(page);
  });

  test("sorting keeps the search and the status filter and starts again from the first page", async ({
    page,
  }) => {
    const tenant = await createTenant();
    const admin = await createUser(tenant, { admin: true });
    const developer = await createUser(tenant, { developer: true });
    const now = Date.now();
    for (let i = 0; i < 27; i++) {
      const number = String(i).padStart(2, "0");
      await insertKey(developer, {
        description: `batch ${number}`,
        createdAt: new Date(now - (27 - i) * 60_000),
      });
    }
    await insertKey(developer, { description: "batch revoked", revoked: true });
    await insertKey(developer, { description: "other key" });

    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/api-keys?search=batch&status=active");
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(page.getByText("Showing 26–27")).toBeVisible();

    await page.getByRole("button", { name: "Name", exact: true }).click();
    await expect
      .poll(() => Object.fromEntries(new URL(page.url()).searchParams))
      .toEqual({ search: "batch", status: "active", sort: "name" });
    await expect(page.getByText("Showing 1–25")).toBeVisible();
    const names = await shownNames(page);
    expect(names).toEqual(
      Array.from({ length: 25 }, (_, i) => `batch ${String(i).padStart(2, "0")}`),
    );
    await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("batch");
    await expect(page.getByLabel("Status")).toHaveValue("active");
  });
});

test("a user sorts their own keys by name, dates and status", async ({ page }) => {
  const tenant = await createTenant();
  const developer = await createUser(tenant, { developer: true });
  const now = Date.now();
  const plan = [
    { name: "mango", created: 2, expires: 9, revoked: false },
    { name: "kiwi", created: 4, expires: 3, revoked: true },
    { name: "lime", created: 1, expires: 5, revoked: false },
  ];
  for (const key of plan) {
    await insertKey(developer, {
      description: key.name,
      createdAt: new Date(now - key.created * DAY),
      expiresAt: new Date(now + key.expires * DAY),
      revoked: key.revoked,
    });
  }
  await signIn(page, developer.email, developer.password);
  await page.goto("/profile/api-keys");
  const table = page.getByRole("table", { name: "Your API keys" });
  const names = () =>
    table
      .locator('tbody td[data-column="name"]')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
  const header = (name: string) => table.getByRole("columnheader", { name, exact: true });

  await expect(header("Created")).toHaveAttribute("aria-sort", "descending");
  expect(await names()).toEqual(["lime", "mango", "kiwi"]);
  await header("Name").getByRole("button").click();
  await expect(header("Name")).toHaveAttribute("aria-sort", "ascending");
  await expect(header("Created")).toHaveAttribute("aria-sort", "none");
  expect(await names()).toEqual(["kiwi", "lime", "mango"]);
  await header("Name").getByRole("button").click();
  await expect(header("Name")).toHaveAttribute("aria-sort", "descending");
  expect(await names()).toEqual(["mango", "lime", "kiwi"]);
  await header("Expires").getByRole("button").click();
  await expect(header("Expires")).toHaveAttribute("aria-sort", "ascending");
  expect(await names()).toEqual(["kiwi", "lime", "mango"]);
  // Equal statuses keep the page's own order (newest first).
  await header("Status").getByRole("button").click();
  await expect(header("Status")).toHaveAttribute("aria-sort", "ascending");
  expect(await names()).toEqual(["lime", "mango", "kiwi"]);
  await header("Status").getByRole("button").click();
  await expect(header("Status")).toHaveAttribute("aria-sort", "descending");
  expect(await names()).toEqual(["kiwi", "lime", "mango"]);
  await expectNoSeriousViolations(page);
});
