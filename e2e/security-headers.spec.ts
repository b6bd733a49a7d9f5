import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, signIn, test } from "./fixtures";

type ResponseHeaders = Record<string, string>;

/** A Content-Security-Policy as its directives: `{ "script-src": "'self' …" }`. */
function policyOf(headers: ResponseHeaders): Record<string, string> {
  const directives: Record<string, string> = {};
  for (const directive of (headers["content-security-policy"] ?? "").split(";")) {
    const [name, ...values] = directive.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = values.join(" ");
  }
  return directives;
}

/** What every response of Keyward carries (SPEC §9), here over plain HTTP. */
function expectSecurityHeaders(headers: ResponseHeaders, what: string): void {
  expect(policyOf(headers)["frame-ancestors"], what).toBe("'none'");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(["strict-origin-when-cross-origin", "no-referrer"], what).toContain(
    headers["referrer-policy"],
  );
  for (const feature of ["camera=()", "microphone=()", "geolocation=()"]) {
    expect(headers["permissions-policy"], what).toContain(feature);
  }
  expect(headers["strict-transport-security"], `${what}, over HTTP`).toBeUndefined();
}

/**
 * A page's policy: scripts only with this response's nonce (and what they load), and every script
 * of the HTML carries it, which a page rendered before the request could not. Returns the nonce.
 */
function expectPagePolicy(headers: ResponseHeaders, html: string, what: string): string {
  expectSecurityHeaders(headers, what);
  const policy = policyOf(headers);
  const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(policy["script-src"] ?? "")?.[1];
  expect(nonce, `${what}: script-src ${policy["script-src"]}`).toBeTruthy();
  expect(policy["script-src"].split(" ").sort(), what).toEqual(
    ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"].sort(),
  );
  expect(policy["object-src"], what).toBe("'none'");
  expect(policy["base-uri"], what).toBe("'self'");
  expect(policy["form-action"], what).toBe("'self'");
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, what).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, what).toContain(`nonce="${nonce}"`);
  return nonce!;
}

/** Opens a console page and checks its headers, its scripts' nonce, and that React took it over. */
async function visit(page: Page, path: string, status = 200): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(status);
  const nonce = expectPagePolicy(response!.headers(), await response!.text(), path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The App Router adds its route announcer once its scripts run: none was refused.
  await expect(page.locator("next-route-announcer")).toHaveCount(1);
  return nonce;
}

async function expectApiHeaders(
  request: APIRequestContext,
  method: "GET" | "POST",
  path: string,
  status: number,
  data?: string,
): Promise<void> {
  const response = await request.fetch(path, {
    method,
    data,
    headers: data ? { "content-type": "application/json" } : {},
    maxRedirects: 0,
  });
  const what = `${method} ${path}`;
  expect(response.status(), what).toBe(status);
  expectSecurityHeaders(response.headers(), what);
  expect(policyOf(response.headers())["default-src"], what).toBe("'none'");
}

test.describe("security headers and the Content-Security-Policy", () => {
  test("every console page carries them, with a fresh nonce, and runs without a refusal", async ({
    page,
  }) => {
    const admin = await createUser("acme", { admin: true, developer: true });
    const nonces = new Set([await visit(page, "/login")]);
    await signIn(page, admin.email, admin.password);
    for (const path of [
      "/profile/api-keys",
      "/admin/settings",
      "/admin/api-keys",
      "/admin/events",
      "/admin/users",
      "/docs/api",
    ]) {
      nonces.add(await visit(page, path));
    }
    nonces.add(await visit(page, "/no-such-page", 404));
    nonces.add(await visit(page, "/profile/api-keys"));
    expect(nonces.size, "a nonce per response").toBe(9);

    // Dialogs, the token panel with its curl example, the clipboard and toasts, under the policy.
    await page.getByRole("button", { name: "Generate new key" }).click();
    const form = page.getByRole("dialog", { name: "Generate new key" });
    await form.getByLabel("Description").fill("Under the policy");
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    const shown = page.getByRole("dialog", { name: "Copy your new API key" });
    await shown.getByRole("button", { name: "Copy curl example" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("curl -H");
    await expect(page.getByText("Copied", { exact: false }).first()).toBeVisible();
  });

  test("a user without the role gets the 403 page under the same policy", async ({ page }) => {
    const user = await createUser("acme");
    await signIn(page, user.email, user.password);
    await visit(page, "/admin/settings", 403);
  });

  test("API responses, errors and static files carry them, with a policy that allows nothing", async ({
    page,
    request,
  }) => {
    await expectApiHeaders(request, "GET", "/api/health", 200);
    await expectApiHeaders(request, "GET", "/api/v1/openapi.json", 200);
    await expectApiHeaders(request, "GET", "/api/v1/users/me", 401);
    await expectApiHeaders(request, "POST", "/api/v1/api-keys", 401, "{}");
    await expectApiHeaders(request, "GET", "/api/auth/session", 200);
    await expectApiHeaders(request, "GET", "/api/auth/csrf", 200);

    const admin = await createUser("acme", { admin: true, developer: true });
    await signIn(page, admin.email, admin.password);
    await expectApiHeaders(page.request, "GET", "/api/v1/users/me", 200);
    await expectApiHeaders(page.request, "GET", "/api/v1/api-keys/000000000000000000000000", 404);
    await expectApiHeaders(page.request, "GET", "/api/v1/no-such-endpoint", 404);
    await expectApiHeaders(page.request, "POST", "/api/v1/api-keys", 400, "{");

    // Redirects, of pages and of Auth.js, carry them too.
    for (const path of ["/", "/api/auth/signin", "/logout"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBeGreaterThanOrEqual(300);
      expect(response.status(), path).toBeLessThan(400);
      expectSecurityHeaders(response.headers(), path);
    }

    const html = await (await page.request.get("/profile/api-keys")).text();
    const assets = [
      ...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="(\/_next\/static\/[^"]+)"/g),
    ].map((match) => match[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of [...assets.slice(0, 3), "/favicon.ico"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expectSecurityHeaders(response.headers(), path);
    }
  });

  test("Strict-Transport-Security is sent when a trusted proxy says the request came over HTTPS", async ({
    request,
  }) => {
    // The suite's server trusts loopback as its proxy (scripts/e2e-server.mjs).
    for (const path of ["/login", "/api/health", "/no-such-page"]) {
      const https = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
      expect(https.headers()["strict-transport-security"], path).toMatch(/^max-age=\d{8}\b/);
      const plain = await request.get(path, { headers: { "x-forwarded-proto": "http" } });
      expect(plain.headers()["strict-transport-security"], path).toBeUndefined();
    }
  });

  test("a page of another origin cannot frame the console", async ({ browser, baseURL }) => {
    const admin = await createUser("acme", { admin: true, developer: true });
    // A page of its own: the refusal to frame is expected in its console.
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, admin.email, admin.password);
    const target = new URL("/admin/api-keys", baseURL).href;
    const framer = http.createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end(`<!doctype html><title>framer</title><iframe src="${target}"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    try {
      const messages: string[] = [];
      page.on("console", (message) => messages.push(message.text()));
      const { port } = framer.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`);
      await expect
        .poll(() => messages.some((text) => /frame-ancestors|X-Frame-Options/.test(text)))
        .toBe(true);
      const framed = page.frameLocator("iframe");
      await expect(framed.getByRole("heading", { name: "API keys" })).toHaveCount(0);
      await expect(framed.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    } finally {
      await context.close();
      await new Promise((resolve) => framer.close(resolve));
    }
  });
});
