import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "@playwright/test";
import Provider from "oidc-provider";
import { createTenant, createUser, e2eDb, expect, signIn, test, type TestUser } from "./fixtures";

/**
 * A real OpenID Connect provider on loopback (node-oidc-provider with its built-in login and
 * consent pages), whose accounts' groups the test changes between sign-ins.
 */
const CLIENT_ID = "keyward-e2e";
const CLIENT_SECRET = `idp-secret-${Math.random().toString(36).slice(2)}-do-not-leak`;
const accounts = new Map<string, { name: string; groups: string[] }>();
let issuer = "";
let idp: http.Server;

test.beforeAll(async ({ baseURL }) => {
  idp = http.createServer();
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${baseURL}/api/auth/callback/sso`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // The groups travel in the ID token, where Keyward reads them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["keyward-e2e-idp"] },
    // The login typed at the provider is the account: its email, with the groups of the moment.
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          const account = accounts.get(id);
          return { sub: id, email: id, email_verified: true, ...account };
        },
      };
    },
  });
  idp.on("request", provider.callback());
});

test.afterAll(async () => {
  await new Promise((resolve) => idp?.close(resolve));
});

/** Signs in through SSO in a browser of its own (its own provider session), as `login`. */
async function ssoSignIn(browser: Browser, typed: string, login = typed): Promise<Page> {
  const context = await browser.newContext();
  // The provider's pages ask for a web font; nothing here needs it.
  await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with SSO" }).click();
  await expect(page.getByRole("heading", { name: "Sign in with SSO" })).toBeVisible();
  await page.getByLabel("Email").fill(typed);
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await page.waitForURL((url) => url.origin === issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.origin !== issuer);
  return page;
}

async function rolesOf(email: string) {
  return e2eDb().user.findUnique({
    where: { email },
    select: { isDeveloper: true, isTenantAdmin: true, tenantId: true },
  });
}

test.describe.configure({ mode: "serial" });

test.describe("single sign-on with a real OpenID Connect provider", () => {
  let slug = "";
  let domain = "";
  let admin: TestUser;
  /** Every response the browser received, to search for the client secret. */
  const seen: string[] = [];

  test("an admin connects the identity provider on Settings; the secret is never shown", async ({
    page,
  }) => {
    slug = await createTenant();
    domain = `${slug}.test`;
    admin = await createUser(slug, { admin: true, developer: true });
    page.on("response", async (response) => {
      seen.push(await response.text().catch(() => ""));
    });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    const sso = page.getByRole("region", { name: "Single sign-on" });
    await expect(sso.getByText(/\/api\/auth\/callback\/sso$/)).toBeVisible();

    // A clash and a bad URL are refused, clearly, and change nothing.
    const other = await createTenant();
    const otherTenant = await e2eDb().tenant.findUniqueOrThrow({ where: { slug: other } });
    await e2eDb().ssoDomain.create({ data: { domain: `${other}.test`, tenantId: otherTenant.id } });
    await sso.getByLabel("Issuer URL").fill("http://idp.example.com");
    await sso.getByLabel("Client ID").fill(CLIENT_ID);
    await sso.getByLabel("Client secret").fill(CLIENT_SECRET);
    await sso.getByLabel("Email domains").fill(domain);
    await sso.getByRole("button", { name: /^(Connect|Update) SSO$/ }).click();
    await expect(sso.getByText(/Issuer URL must be an https URL/)).toBeVisible();
    await sso.getByLabel("Issuer URL").fill(issuer);
    await sso.getByLabel("Email domains").fill(`${domain}\n${other}.test`);
    await sso.getByRole("button", { name: /^(Connect|Update) SSO$/ }).click();
    await expect(
      sso.getByText(`${other}.test already belongs to another tenant's single sign-on.`, {
        exact: false,
      }),
    ).toBeVisible();
    const tenant = await e2eDb().tenant.findUniqueOrThrow({ where: { slug } });
    expect(await e2eDb().tenantSso.findUnique({ where: { tenantId: tenant.id } })).toBeNull();

    await sso.getByLabel("Email domains").fill(domain);
    await sso.getByLabel("Groups that give Developer").fill("keyward-devs");
    await sso.getByLabel("Groups that give TenantAdmin").fill("keyward-admins");
    await sso.getByRole("button", { name: "Connect SSO" }).click();
    await expect(page.getByText("Single sign-on saved.")).toBeVisible();
    await expect(sso.getByText("A secret is stored.", { exact: false })).toBeVisible();
    await expect(sso.getByLabel("Client secret")).toHaveValue("");

    const stored = await e2eDb().tenantSso.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(stored.clientSecret).not.toContain(CLIENT_SECRET);
    const events = await e2eDb().auditEvent.findMany({
      where: { tenantId: tenant.id, eventType: "tenant.sso.updated" },
    });
    expect(events).toHaveLength(1);
    expect(events[0].data).not.toContain(CLIENT_SECRET);
    expect(events[0].data).not.toContain(stored.clientSecret);

    await page.reload();
    await expect(sso.getByLabel("Issuer URL")).toHaveValue(issuer);
    expect(await page.content()).not.toContain(CLIENT_SECRET);
    expect(seen.length).toBeGreaterThan(3);
    for (const body of seen) expect(body).not.toContain(CLIENT_SECRET);
  });

  test("the first SSO sign-in creates the user with the mapped roles; the next one follows the groups", async ({
    browser,
  }) => {
    const email = `ann@${domain}`;
    accounts.set(email, { name: "Ann Example", groups: ["keyward-devs", "unrelated"] });
    let page = await ssoSignIn(browser, email);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(page).toHaveURL(/\/profile\/api-keys/);
    await expect(page.getByText("You need the Developer role")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Generate new key" })).toBeVisible();
    expect(await rolesOf(email)).toMatchObject({ isDeveloper: true, isTenantAdmin: false });
    const user = await e2eDb().user.findUniqueOrThrow({ where: { email } });
    expect(user.name).toBe("Ann Example");
    const created = await e2eDb().auditEvent.findFirstOrThrow({
      where: { tenantId: user.tenantId, eventType: "user.created", userId: user.id },
    });
    expect(JSON.parse(created.data)).toMatchObject({ via: "sso", roles: ["Developer"] });
    // A session like any other, ended by signing out.
    expect(await e2eDb().session.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    expect(await e2eDb().session.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    await page.context().close();

    accounts.set(email, { name: "Ann Example", groups: ["keyward-admins"] });
    page = await ssoSignIn(browser, email);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(await rolesOf(email)).toMatchObject({ isDeveloper: false, isTenantAdmin: true });
    await page.goto("/admin/users");
    await expect(page.getByText(email, { exact: true })).toBeVisible();
    const changed = await e2eDb().auditEvent.findFirstOrThrow({
      where: { tenantId: user.tenantId, eventType: "user.roles.updated", userId: user.id },
    });
    expect(JSON.parse(changed.data)).toMatchObject({
      before: { roles: ["Developer"] },
      after: { roles: ["TenantAdmin"] },
      via: "sso",
    });
    await page.context().close();
  });

  test("a person vouched for with an address outside the tenant's domains is not let in", async ({
    browser,
  }) => {
    const other = await createTenant();
    const otherTenant = await e2eDb().tenant.findUniqueOrThrow({ where: { slug: other } });
    await e2eDb().ssoDomain.create({
      data: { domain: `sso-${other}.test`, tenantId: otherTenant.id },
    });
    for (const outsider of [`mallory@sso-${other}.test`, `eve@nowhere-${slug}.test`]) {
      accounts.set(outsider, { name: "Outsider", groups: ["keyward-admins"] });
      const page = await ssoSignIn(browser, `someone@${domain}`, outsider);
      await expect(page).toHaveURL(/\/login\?sso=domain/);
      await expect(page.getByText(/outside this organization's domains/)).toBeVisible();
      await page.goto("/profile/api-keys");
      await expect(page).toHaveURL(/\/login/);
      expect(await rolesOf(outsider)).toBeNull();
      await page.context().close();
    }
  });

  test("with SSO required, password sign-in is refused but for the break-glass admin", async ({
    page,
    browser,
  }) => {
    const developer = await createUser(slug, { developer: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/settings");
    const sso = page.getByRole("region", { name: "Single sign-on" });
    await sso.getByRole("checkbox", { name: "Require SSO" }).click();
    await sso.getByRole("button", { name: /^(Connect|Update) SSO$/ }).click();
    await expect(sso.getByText(/Choose a break-glass admin/)).toBeVisible();
    await sso.getByLabel("Break-glass admin").selectOption(admin.id);
    await sso.getByRole("button", { name: /^(Connect|Update) SSO$/ }).click();
    await expect(page.getByText("Single sign-on saved.")).toBeVisible();

    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto("/login");
    await other.getByLabel("Email").fill(developer.email);
    await other.getByLabel("Password").fill(developer.password);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other.getByText(/requires single sign-on/)).toBeVisible();
    expect(await e2eDb().session.count({ where: { userId: developer.id } })).toBe(0);
    await other.goto("/profile/api-keys");
    await expect(other).toHaveURL(/\/login/);
    await context.close();

    // The break-glass admin still signs in with a password.
    const rescue = await browser.newContext();
    const rescuePage = await rescue.newPage();
    await signIn(rescuePage, admin.email, admin.password);
    await rescue.close();

    // SSO itself still works for the tenant's people.
    accounts.set(`bo@${domain}`, { name: "Bo", groups: ["keyward-devs"] });
    const ssoPage = await ssoSignIn(browser, `bo@${domain}`);
    await expect(ssoPage.getByRole("button", { name: "Sign out" })).toBeVisible();
    await ssoPage.context().close();
  });
});
