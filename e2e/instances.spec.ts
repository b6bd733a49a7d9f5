import { spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { stopServer } from "../scripts/server-process";
import { bearer, clientAddress } from "./api-helpers";
import {
  createTenant,
  createUser,
  e2eDatabaseUrl,
  e2eDb,
  expect,
  insertKey,
  signIn,
  signOut,
  startSuiteInstance,
  test,
  type TestUser,
} from "./fixtures";

// Several Keyward instances on the suite's one database: the suite's server is instance A, and this
// file starts the others (one more on PostgreSQL, two more on SQLite: SPEC §7). Every rule that
// other instances must see lives in the database, so each must hold across them.
const root = path.resolve(__dirname, "..");
const databaseUrl = e2eDatabaseUrl();
const onPostgres = !databaseUrl.startsWith("file:");
const suiteBase = `http://127.0.0.1:${process.env.E2E_PORT || 3100}`;

test.describe.configure({ mode: "serial", timeout: 180_000 });

const others: { server: ChildProcess; base: string }[] = [];
let bases: string[] = [];
const contexts = new Map<string, APIRequestContext>();

test.beforeAll(async () => {
  const count = onPostgres ? 1 : 2;
  for (let i = 0; i < count; i++) others.push(await startSuiteInstance());
  bases = [suiteBase, ...others.map((other) => other.base)];
  for (const base of bases)
    contexts.set(base, await playwrightRequest.newContext({ baseURL: base }));
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
  await Promise.all(others.map((other) => stopServer(other.server)));
});

/** The API of instance `i` (0 is the suite's server, A). */
function instance(i: number): APIRequestContext {
  return contexts.get(bases[i % bases.length])!;
}

async function developerIn(slug: string): Promise<TestUser> {
  return createUser(slug, { developer: true });
}

test("a key revoked or deleted on A is refused on B on the very next request", async () => {
  const slug = await createTenant();
  const owner = await developerIn(slug);
  const admin = await createUser(slug, { admin: true, developer: true });
  const adminKey = await insertKey(admin);
  const revoked = await insertKey(owner);
  const deleted = await insertKey(owner);
  const me = (i: number, token: string) =>
    instance(i).get("/api/v1/users/me", { headers: bearer(token) });
  // B has just answered both keys, so whatever it may keep of them is fresh.
  expect((await me(1, revoked.token)).status()).toBe(200);
  expect((await me(1, deleted.token)).status()).toBe(200);

  const revoke = await instance(0).delete(`/api/v1/api-keys/${revoked.id}`, {
    headers: bearer(adminKey.token),
  });
  expect(revoke.status()).toBe(204);
  expect((await me(1, revoked.token)).status()).toBe(401);

  const remove = await instance(0).delete(`/api/v1/api-keys/${deleted.id}`, {
    headers: bearer(deleted.token),
  });
  expect(remove.status()).toBe(204);
  expect((await me(1, deleted.token)).status()).toBe(401);
});

test("a user disabled on A is refused on B", async ({ page }) => {
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true });
  const developer = await developerIn(slug);
  const key = await insertKey(developer);
  expect((await instance(1).get("/api/v1/users/me", { headers: bearer(key.token) })).status()).toBe(
    200,
  );

  await page.setExtraHTTPHeaders({ "x-forwarded-for": clientAddress() });
  await page.goto(`${suiteBase}/login`);
  await signIn(page, admin.email, admin.password);
  await page.goto(`${suiteBase}/admin/users`);
  await page.getByRole("button", { name: `More actions for ${developer.email}` }).click();
  await page.getByRole("menuitem", { name: "Disable" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(
    page.getByRole("row").filter({ hasText: developer.email }).getByText("Disabled"),
  ).toBeVisible();

  for (let i = 1; i < bases.length; i++) {
    expect(
      (await instance(i).get("/api/v1/users/me", { headers: bearer(key.token) })).status(),
    ).toBe(401);
  }
});

test("a session signed out on A is refused on B on the very next request", async ({ page }) => {
  const slug = await createTenant();
  const user = await developerIn(slug);
  await page.setExtraHTTPHeaders({ "x-forwarded-for": clientAddress() });
  await page.goto(`${suiteBase}/login`);
  await signIn(page, user.email, user.password);
  const session = (await page.context().cookies()).find((c) => c.name.includes("session-token"));
  const cookie = { cookie: `${session!.name}=${session!.value}` };
  const me = (i: number) => instance(i).get("/api/v1/users/me", { headers: cookie });
  // Every instance has just answered the session, so whatever it may keep of it is fresh.
  for (let i = 0; i < bases.length; i++) expect((await me(i)).status()).toBe(200);

  await signOut(page);
  for (let i = 1; i < bases.length; i++) expect((await me(i)).status()).toBe(401);
});

test("30 concurrent creates spread over every instance give exactly the limit of 5", async () => {
  const slug = await createTenant();
  const developer = await developerIn(slug);
  // The caller's own key counts towards the limit: 1 + 5 new ones.
  await e2eDb().tenant.update({ where: { slug }, data: { maxKeysPerUser: 6 } });
  const key = await insertKey(developer);
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      instance(i).post("/api/v1/api-keys", {
        headers: bearer(key.token),
        data: { description: `concurrent ${i}` },
      }),
    ),
  );
  const statuses = answers.map((answer) => answer.status());
  expect(statuses.filter((status) => status === 201)).toHaveLength(5);
  expect(statuses.filter((status) => status === 409)).toHaveLength(25);
  expect(statuses.filter((status) => status >= 500)).toHaveLength(0);
  const active = await e2eDb().apiKey.count({
    where: { ownerId: developer.id, revokedAt: null },
  });
  expect(active).toBe(6);
});

test("10,000 key requests spread over every instance are counted exactly", async () => {
  const slug = await createTenant();
  const developer = await developerIn(slug);
  // 20 keys of 500 requests each stay under the per-key limit of 1,000 a minute.
  const keys = await Promise.all(Array.from({ length: 20 }, () => insertKey(developer)));
  const address = clientAddress();
  let sent = 0;
  const statuses = new Map<number, number>();
  const worker = async () => {
    while (sent < 10_000) {
      const n = sent++;
      const key = keys[n % keys.length];
      const answer = await instance(n).get("/api/v1/users/me", {
        headers: bearer(key.token, address),
      });
      statuses.set(answer.status(), (statuses.get(answer.status()) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  expect(Object.fromEntries(statuses)).toEqual({ 200: 10_000 });

  const counted = async () => {
    const sum = await e2eDb().apiKeyUsage.aggregate({
      where: { apiKeyId: { in: keys.map((key) => key.id) } },
      _sum: { requests: true },
    });
    return sum._sum.requests ?? 0;
  };
  // Each instance flushes its counts every 2 seconds.
  await expect.poll(counted, { timeout: 30_000 }).toBe(10_000);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(await counted()).toBe(10_000);
});

test("the per-key rate limit is shared: together the instances allow at most the limit", async () => {
  const slug = await createTenant();
  const developer = await developerIn(slug);
  const key = await insertKey(developer);
  const address = clientAddress();
  const statuses: number[] = [];
  for (let round = 0; round < 12; round++) {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        instance(i).get("/api/v1/users/me", { headers: bearer(key.token, address) }),
      ),
    );
    statuses.push(...answers.map((answer) => answer.status()));
  }
  const allowed = statuses.filter((status) => status === 200).length;
  // 1,200 requests within a minute against 1,000 a minute, in leases of 10 points per instance.
  expect(allowed).toBeLessThanOrEqual(1000);
  expect(allowed).toBeGreaterThanOrEqual(1000 - 10 * bases.length);
  expect(statuses.filter((status) => status === 429).length).toBe(1200 - allowed);
});

test("the sign-in throttle is shared: failures on every instance add up", async () => {
  const slug = await createTenant();
  const user = await developerIn(slug);
  const attempt = async (i: number, password: string) => {
    const api = instance(i);
    const csrf = await (await api.get("/api/auth/csrf")).json();
    const answer = await api.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email: user.email, password },
      headers: { "x-forwarded-for": clientAddress() },
      maxRedirects: 0,
    });
    return answer.headers()["location"] ?? "";
  };
  // Ten failures spread over the instances: no single one saw ten.
  for (let i = 0; i < 10; i++) {
    expect(await attempt(i, `wrong-${i}`)).not.toContain("too-many-attempts");
  }
  for (let i = 0; i < bases.length; i++) {
    expect(await attempt(i, user.password)).toContain("too-many-attempts");
  }
});

test("the audit chains verify after concurrent writes on every instance", async () => {
  const result = spawnSync(
    path.join(root, "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", path.join(root, "scripts", "audit-verify.ts")],
    { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" },
  );
  expect(result.stdout + result.stderr).toContain("every chain is intact");
  expect(result.status).toBe(0);
});
