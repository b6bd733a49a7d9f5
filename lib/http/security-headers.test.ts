import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedProxies } from "@/lib/auth/client-address-rule.mjs";
import { stampPublicOrigin } from "./public-origin-rule.mjs";

const REQUEST_PROTOCOL_HEADER = "x-forwarded-proto";
import { newNonce, pageContentSecurityPolicy, servedOverHttps } from "./security-headers";
import {
  securityHeaderRules,
  STRICT_CONTENT_SECURITY_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from "@/next.config";

/** A real server on loopback that answers with the protocol it stamped, trusting `proxies`. */
function serverTrusting(proxies: string) {
  const trust = trustedProxies(proxies);
  const server = http.createServer((request, response) => {
    stampPublicOrigin(request, trust);
    response.end(String(request.headers[REQUEST_PROTOCOL_HEADER]));
  });
  return {
    start: () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    ask: async (headers: Record<string, string> = {}) => {
      const { port } = server.address() as AddressInfo;
      return (await fetch(`http://127.0.0.1:${port}/`, { headers })).text();
    },
  };
}

describe("the protocol Keyward's server stamps", () => {
  const direct = serverTrusting("");
  const behindProxy = serverTrusting("loopback");
  beforeAll(async () => {
    await direct.start();
    await behindProxy.start();
  });
  afterAll(async () => {
    await direct.stop();
    await behindProxy.stop();
  });

  it("is http over a plain socket, whatever an untrusted client writes", async () => {
    expect(await direct.ask()).toBe("http");
    expect(await direct.ask({ "x-forwarded-proto": "https" })).toBe("http");
  });

  it("is what a trusted proxy wrote in X-Forwarded-Proto", async () => {
    expect(await behindProxy.ask({ "x-forwarded-proto": "https" })).toBe("https");
    expect(await behindProxy.ask({ "x-forwarded-proto": " HTTPS " })).toBe("https");
    expect(await behindProxy.ask({ "x-forwarded-proto": "http" })).toBe("http");
    expect(await behindProxy.ask()).toBe("http");
    // Several proxies: the first, nearest the client, saw the client's scheme.
    expect(await behindProxy.ask({ "x-forwarded-proto": "https, http" })).toBe("https");
  });
});

describe("the security headers", () => {
  const rulesFor = (requestHeaders: Record<string, string>) => {
    const found = new Map<string, string>();
    for (const rule of securityHeaderRules) {
      expect(rule.source).toBe("/:path*");
      const applies = (rule.has ?? []).every(
        (condition) =>
          condition.type === "header" &&
          new RegExp(`^${condition.value}$`).test(requestHeaders[condition.key] ?? ""),
      );
      if (applies) for (const { key, value } of rule.headers) found.set(key, value);
    }
    return found;
  };

  it("forbid framing, sniffing and powerful features on every path, and add HSTS only over HTTPS", () => {
    const plain = rulesFor({ [REQUEST_PROTOCOL_HEADER]: "http" });
    expect(plain.get("content-security-policy")).toBe(STRICT_CONTENT_SECURITY_POLICY);
    expect(STRICT_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(plain.get("x-frame-options")).toBe("DENY");
    expect(plain.get("x-content-type-options")).toBe("nosniff");
    expect(plain.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(plain.get("permissions-policy")).toContain("camera=(), microphone=(), geolocation=()");
    expect(plain.has("strict-transport-security")).toBe(false);
    expect(rulesFor({ [REQUEST_PROTOCOL_HEADER]: "https" }).get("strict-transport-security")).toBe(
      STRICT_TRANSPORT_SECURITY,
    );
  });

  it("give pages scripts only by nonce, and no eval outside development", () => {
    const nonce = newNonce();
    const policy = pageContentSecurityPolicy(nonce, { https: false, development: false });
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic';`);
    for (const directive of [
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy.split("; ").find((directive) => directive.startsWith("script-src"))).not.toMatch(
      /unsafe/,
    );
    expect(policy).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
    expect(pageContentSecurityPolicy(nonce, { https: true, development: true })).toMatch(
      /'unsafe-eval'.*upgrade-insecure-requests$/,
    );
  });

  it("make a new nonce each time, of 144 random bits", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });

  it("read HTTPS from the protocol Keyward's server stamped", () => {
    expect(servedOverHttps(new Headers({ [REQUEST_PROTOCOL_HEADER]: "https" }))).toBe(true);
    expect(servedOverHttps(new Headers({ [REQUEST_PROTOCOL_HEADER]: "http" }))).toBe(false);
    expect(servedOverHttps(new Headers())).toBe(false);
  });
});
