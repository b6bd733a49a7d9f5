import { clientAddress } from "./api-helpers";
import {
  createTenant,
  createUser,
  expect,
  expectNoSeriousViolations,
  signIn,
  signOut,
  test,
} from "./fixtures";

/**
 * The original page's monitoring procedure with real traffic: a program calls the REST API with
 * two keys, the admin sees the busy one on top and flagged in Events, follows it to API keys and
 * revokes it, and the program is refused on its next call.
 */
test("real REST traffic shows up in usage, flagged, and leads to the key to revoke", async ({
  page,
  playwright,
  baseURL,
}) => {
  const tenant = await createTenant();
  const admin = await createUser(tenant, { admin: true });
  const developer = await createUser(tenant, { developer: true });

  await signIn(page, developer.email, developer.password);
  const tokens: Record<string, { id: string; token: string }> = {};
  for (const description of ["Busy integration", "Quiet integration"]) {
    const response = await page.request.post("/api/v1/api-keys", { data: { description } });
    expect(response.status()).toBe(201);
    const body = await response.json();
    tokens[description] = { id: body.id, token: body.token };
  }
  await signOut(page);

  // The program has an address of its own (the suite's server trusts loopback as a proxy).
  const program = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { "x-forwarded-for": clientAddress() },
  });
  const call = (token: string) =>
    program.get("/api/v1/users/me", { headers: { authorization: `Bearer ${token}` } });
  const busy = tokens["Busy integration"];
  const quiet = tokens["Quiet integration"];
  for (let batch = 0; batch < 30; batch++) {
    const responses = await Promise.all(Array.from({ length: 10 }, () => call(busy.token)));
    expect(responses.map((response) => response.status())).toEqual(Array(10).fill(200));
  }
  for (let i = 0; i < 5; i++) expect((await call(quiet.token)).status()).toBe(200);

  await signIn(page, admin.email, admin.password);
  const top = page.getByRole("table", { name: /Top keys/ });
  const busyRow = top.locator("tbody > tr").first();
  const quietRow = top.locator("tbody > tr").filter({ hasText: "Quiet integration" });
  // Usage is flushed from memory in batches every few seconds, so the two keys' counts may
  // land in different flushes: reload until both are there.
  await expect(async () => {
    await page.goto("/admin/events");
    await expect(busyRow).toContainText("Busy integration", { timeout: 1_000 });
    await expect(busyRow).toContainText("300", { timeout: 1_000 });
    await expect(quietRow).toContainText("5", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(busyRow.getByText("Unusual activity")).toBeVisible();
  await expect(quietRow.getByText("Unusual activity")).toHaveCount(0);

  await busyRow.getByRole("link", { name: "Busy integration", exact: true }).click();
  await expect(page).toHaveURL(`/admin/api-keys?search=${busy.id}`);
  const keyRow = page.getByRole("row").filter({ hasText: busy.id });
  await expect(keyRow.getByText("Unusual activity")).toBeVisible();
  await expectNoSeriousViolations(page);

  await keyRow.getByRole("button", { name: /^More/ }).click();
  await page.getByRole("menuitem", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(keyRow).toContainText("Revoked");

  expect((await call(busy.token)).status()).toBe(401);
  expect((await call(quiet.token)).status()).toBe(200);
  await program.dispose();
});
