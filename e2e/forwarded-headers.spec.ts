import { expect, test } from "@playwright/test";
import { bearer, clientAddress, insertKey } from "./api-helpers";
import { createUser, generateThroughDialog, signIn } from "./fixtures";
import { startTlsProxy, type TlsProxy } from "./tls-proxy";

// The suite's server trusts loopback proxies, as a deployment trusts the proxy in front of it. What
// an untrusted client's forwarded headers do is tested on a server that trusts none
// (e2e/client-address.spec.ts) and in lib/http/public-origin.test.ts.

test.describe("behind a trusted TLS proxy", () => {
  let proxy: TlsProxy;
  test.beforeAll(async ({ baseURL }) => {
    proxy = await startTlsProxy(baseURL!);
  });
  test.afterAll(async () => {
    await proxy.stop();
  });

  test("the console signs in, writes and signs out at the proxy's https origin", async ({
    browser,
  }) => {
    const user = await createUser("acme", { developer: true });
    const context = await browser.newContext({
      baseURL: proxy.origin,
      ignoreHTTPSErrors: true,
      extraHTTPHeaders: { "x-forwarded-for": clientAddress() },
    });
    const page = await context.newPage();
    await page.goto("/profile/api-keys");
    await expect(page).toHaveURL(`${proxy.origin}/login?callbackUrl=%2Fprofile%2Fapi-keys`);
    await signIn(page, user.email, user.password);
    await expect(page).toHaveURL(`${proxy.origin}/profile/api-keys`);

    // A server action: the browser's Origin is the proxy's https origin.
    await generateThroughDialog(page, "Behind the proxy");

    // REST with the session cookie, from the console's own (https) origin; another is refused.
    const created = await page.request.post("/api/v1/api-keys", {
      headers: { origin: proxy.origin },
      data: { description: "REST behind the proxy" },
    });
    expect(created.status()).toBe(201);
    for (const origin of [proxy.origin.replace("https:", "http:"), "https://evil.example"]) {
      const refused = await page.request.post("/api/v1/api-keys", {
        headers: { origin },
        data: { description: "From elsewhere" },
      });
      expect(refused.status(), origin).toBe(401);
    }

    // Auth.js's own endpoints send the browser back to the proxy, not to Keyward's own host name.
    const signin = await page.request.get("/api/auth/signin", { maxRedirects: 0 });
    const callbackUrl = new URL(signin.headers()["location"], proxy.origin).searchParams;
    expect(new URL(callbackUrl.get("callbackUrl")!).origin).toBe(proxy.origin);
    const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
    const signOut = await page.request.post("/api/auth/signout", {
      form: { csrfToken, callbackUrl: "/login" },
      maxRedirects: 0,
    });
    expect(signOut.headers()["location"]).toBe(`${proxy.origin}/login`);
    await context.close();
  });

  test("pagination links and the OpenAPI server point at the proxy", async ({ playwright }) => {
    const user = await createUser("acme", { developer: true });
    const [key] = [await insertKey(user), await insertKey(user)];
    const request = await playwright.request.newContext({
      baseURL: proxy.origin,
      ignoreHTTPSErrors: true,
    });
    const page = await request.get("/api/v1/api-keys?limit=1", { headers: bearer(key.token) });
    expect(page.status()).toBe(200);
    const { links } = await page.json();
    expect(links.self.href).toBe(`${proxy.origin}/api/v1/api-keys?limit=1`);
    expect(links.next.href.startsWith(`${proxy.origin}/api/v1/api-keys?`)).toBe(true);
    const document = await (await request.get("/api/v1/openapi.json")).json();
    expect(document.servers[0].url.startsWith(proxy.origin)).toBe(true);
    await request.dispose();
  });
});

test.describe("server actions from another site", () => {
  test("a cross-site POST without an Origin is refused, and runs nothing", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const user = await createUser("acme", { developer: true });
    const ip = clientAddress();
    await page.setExtraHTTPHeaders({ "x-forwarded-for": ip });
    await page.goto("/login");
    // The sign-in action as the form sends it, caught before it leaves the browser: a browser will
    // not let a test change its Origin or Sec-Fetch-Site, so another client replays it.
    const sent = new Promise<{ headers: Record<string, string>; body: Buffer }>((resolve) =>
      page.route("**/login", async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        const headers = await route.request().allHeaders();
        resolve({ headers, body: route.request().postDataBuffer()! });
        await route.abort();
      }),
    );
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const { headers, body } = await sent;
    for (const name of ["origin", "host", "cookie", "content-length"]) delete headers[name];
    for (const name of Object.keys(headers))
      if (name.startsWith("sec-fetch-")) delete headers[name];

    const client = await playwright.request.newContext({ baseURL });
    const replay = (extra: Record<string, string>) =>
      client.post("/login", { headers: { ...headers, ...extra }, data: body, maxRedirects: 0 });
    const refused = await replay({ "sec-fetch-site": "cross-site" });
    expect(refused.status()).toBe(403);
    expect(refused.headers()["set-cookie"] ?? "").not.toContain("session-token");
    // The very same request from Keyward's own page signs in: only where it came from differs.
    const accepted = await replay({ origin: baseURL!, "sec-fetch-site": "same-origin" });
    expect(accepted.status()).toBeLessThan(400);
    expect(accepted.headers()["set-cookie"]).toContain("session-token");
    await client.dispose();
  });

  test("a POST to a page from a foreign Origin gets 403, never a 500", async ({ request }) => {
    const refusals: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of refusals) {
      const response = await request.post("/login", {
        headers: { ...headers, "next-action": "0".repeat(42), "x-forwarded-for": clientAddress() },
        data: "[]",
      });
      expect(response.status(), JSON.stringify(headers)).toBe(403);
    }
  });
});
