import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trustedProxies } from "@/lib/auth/client-address-rule.mjs";
import { publicUrl } from "./pagination";
import { publicOrigin } from "./public-origin";
import { isCrossSiteAction, originOf, stampPublicOrigin } from "./public-origin-rule.mjs";

interface Seen {
  origin: string | null;
  link: string;
  crossSiteAction: boolean;
}

/**
 * A real server on loopback that stamps each request as Keyward's server does, trusting `proxies`,
 * and answers with what the app then reads: the public origin, a pagination link, and whether a
 * POST would be refused as a cross-site server action.
 */
function serverTrusting(proxies: string) {
  const trust = trustedProxies(proxies);
  const server = http.createServer((request, response) => {
    stampPublicOrigin(request, trust);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers.set(name, value);
    const seen: Seen = {
      origin: publicOrigin(headers),
      // Next.js puts its own host name in the URL a route handler sees.
      link: publicUrl(new Request(`http://localhost:3000${request.url}`, { headers })).href,
      crossSiteAction: isCrossSiteAction(request),
    };
    response.end(JSON.stringify(seen));
  });
  return {
    start: () => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    ask: async (headers: Record<string, string> = {}, method = "GET", path = "/api/v1/spaces") => {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers });
      return (await response.json()) as Seen;
    },
    port: () => (server.address() as AddressInfo).port,
  };
}

const CLAIMED = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

describe("the public origin Keyward's server stamps", () => {
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

  it("is the Host called when no proxy is trusted, whatever forwarded headers the client writes", async () => {
    const here = `http://127.0.0.1:${direct.port()}`;
    const seen = await direct.ask({ ...CLAIMED, "x-forwarded-port": "443" }, "GET", "/x?a=1");
    expect(seen).toEqual({ origin: here, link: `${here}/x?a=1`, crossSiteAction: false });
  });

  it("is the trusted proxy's forwarded host and scheme, the first when it lists several", async () => {
    expect(await behindProxy.ask(CLAIMED)).toMatchObject({
      origin: "https://evil.example",
      link: "https://evil.example/api/v1/spaces",
    });
    expect(
      (
        await behindProxy.ask({
          "x-forwarded-host": "keys.example.com:8443, internal:3000",
          "x-forwarded-proto": "HTTPS, http",
        })
      ).origin,
    ).toBe("https://keys.example.com:8443");
    // A proxy that keeps the Host and sends only the scheme.
    expect((await behindProxy.ask({ "x-forwarded-proto": "https" })).origin).toBe(
      `https://127.0.0.1:${behindProxy.port()}`,
    );
  });

  it("leaves links at the server's own URL when the host is no host", async () => {
    const seen = await behindProxy.ask({ "x-forwarded-host": "evil.example/path@x" });
    expect(seen.origin).toBeNull();
    expect(seen.link).toBe("http://localhost:3000/api/v1/spaces");
  });

  it("refuses a server action whose Origin is not the public origin, or is missing cross-site", async () => {
    const here = `http://127.0.0.1:${direct.port()}`;
    const action = (headers: Record<string, string>, server = direct, path = "/profile") =>
      server.ask(headers, "POST", path).then((seen) => seen.crossSiteAction);
    expect(await action({ origin: here })).toBe(false);
    expect(await action({})).toBe(false);
    expect(await action({ "sec-fetch-site": "same-origin" })).toBe(false);
    expect(await action({ "sec-fetch-site": "cross-site" })).toBe(true);
    expect(await action({ origin: "https://evil.example" })).toBe(true);
    expect(await action({ origin: "null" })).toBe(true);
    expect(await action({ origin: here.replace("http:", "https:") })).toBe(true);
    // An untrusted client cannot make its own origin the public one.
    expect(await action({ ...CLAIMED, origin: "https://evil.example" })).toBe(true);
    // Behind a trusted TLS proxy, the proxy's https origin is the public one.
    expect(await action({ ...CLAIMED, origin: "https://evil.example" }, behindProxy)).toBe(false);
    // REST and Auth.js's endpoints answer for themselves; other methods are no server actions.
    expect(await action({ origin: "https://evil.example" }, direct, "/api/v1/api-keys")).toBe(
      false,
    );
    expect(await action({ origin: "https://evil.example" }, direct, "/api/../profile")).toBe(true);
    expect(
      (await direct.ask({ origin: "https://evil.example" }, "PUT", "/x")).crossSiteAction,
    ).toBe(false);
  });
});

describe("originOf", () => {
  it("spells an origin once, and refuses what is no host", () => {
    expect(originOf("https", "Keys.Example.com:443")).toBe("https://keys.example.com");
    expect(originOf("http", "[::1]:3000")).toBe("http://[::1]:3000");
    expect(originOf("ftp", "keys.example.com")).toBe("http://keys.example.com");
    for (const host of ["", "a b", "evil.example/x", "user@evil.example", "evil.example?x", null])
      expect(originOf("https", host), String(host)).toBeNull();
  });
});
