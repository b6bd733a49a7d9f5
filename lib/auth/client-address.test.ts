import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";
import {
  CLIENT_ADDRESS_HEADER,
  stampClientAddress,
  trustedProxies,
} from "./client-address-rule.mjs";

/** A real server on loopback that answers with the address it stamped, trusting `proxies`. */
function serverTrusting(proxies: string) {
  const trust = trustedProxies(proxies);
  const server = http.createServer((request, response) => {
    stampClientAddress(request, trust);
    response.end(String(request.headers[CLIENT_ADDRESS_HEADER]));
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

describe("the client address Keyward's server stamps", () => {
  const direct = serverTrusting("");
  const behindProxy = serverTrusting("loopback, 10.0.0.0/8");
  beforeAll(async () => {
    await direct.start();
    await behindProxy.start();
  });
  afterAll(async () => {
    await direct.stop();
    await behindProxy.stop();
  });

  it("is the socket's peer when no proxy is trusted, whatever the client writes", async () => {
    expect(await direct.ask()).toBe("127.0.0.1");
    expect(
      await direct.ask({
        "x-forwarded-for": "203.0.113.9",
        "x-real-ip": "203.0.113.10",
        [CLIENT_ADDRESS_HEADER]: "203.0.113.11",
      }),
    ).toBe("127.0.0.1");
  });

  it("behind trusted proxies, is the nearest address no trusted proxy wrote", async () => {
    expect(await behindProxy.ask({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    // The client wrote 198.51.100.1 itself; the proxies appended 203.0.113.9 and 10.1.1.1.
    expect(
      await behindProxy.ask({ "x-forwarded-for": "198.51.100.1, 203.0.113.9, 10.1.1.1" }),
    ).toBe("203.0.113.9");
    expect(await behindProxy.ask()).toBe("127.0.0.1");
  });

  it("behind trusted proxies, takes the last proxy for an entry that is no address", async () => {
    for (const forwarded of ["not-an-address", "203.0.113.9, 2001:db8::zz", "unknown, 10.1.1.1"]) {
      expect(await behindProxy.ask({ "x-forwarded-for": forwarded }), forwarded).toBe(
        forwarded.endsWith("10.1.1.1") ? "10.1.1.1" : "127.0.0.1",
      );
    }
  });

  it("refuses a KEYWARD_TRUSTED_PROXIES entry that is no address", () => {
    expect(() => trustedProxies("proxy.internal")).toThrow();
  });
});

describe("clientAddress", () => {
  it("reads only the stamped address", () => {
    const stamped = new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.9" });
    expect(clientAddress(stamped)).toBe("203.0.113.9");
    const unstamped = new Headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" });
    expect(clientAddress(unstamped)).toBeNull();
  });
});
