import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

function from(headers: Record<string, string>): string | null {
  return clientAddress(new Headers(headers));
}

describe("clientAddress", () => {
  afterEach(() => {
    delete process.env.KEYWARD_PROXY_HOPS;
  });

  it("takes the address the nearest proxy appended, not what the client wrote before it", () => {
    expect(from({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    expect(from({ "x-forwarded-for": "10.0.0.1, 203.0.113.9" })).toBe("203.0.113.9");
    expect(from({ "x-forwarded-for": " 1.1.1.1 ,, 203.0.113.9 " })).toBe("203.0.113.9");
  });

  it("counts back as many trusted proxies as KEYWARD_PROXY_HOPS says", () => {
    process.env.KEYWARD_PROXY_HOPS = "2";
    expect(from({ "x-forwarded-for": "10.0.0.1, 203.0.113.9, 192.0.2.1" })).toBe("203.0.113.9");
    expect(from({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    process.env.KEYWARD_PROXY_HOPS = "zero";
    expect(from({ "x-forwarded-for": "10.0.0.1, 203.0.113.9" })).toBe("203.0.113.9");
  });

  it("falls back to X-Real-IP, then to nothing", () => {
    expect(from({ "x-real-ip": "198.51.100.7" })).toBe("198.51.100.7");
    expect(from({ "x-forwarded-for": " ", "x-real-ip": "198.51.100.7" })).toBe("198.51.100.7");
    expect(from({})).toBeNull();
  });
});
