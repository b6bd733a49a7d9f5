import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./sealed-secret";

describe("sealed secrets (AES-256-GCM)", () => {
  it("opens what it sealed, for the same context only", () => {
    const sealed = sealSecret("client-secret-ü-123", "tenant-a");
    expect(sealed).not.toContain("client-secret");
    expect(openSecret(sealed, "tenant-a")).toBe("client-secret-ü-123");
    expect(() => openSecret(sealed, "tenant-b")).toThrow();
  });

  it("seals the same secret differently each time (a fresh IV)", () => {
    expect(sealSecret("same", "t")).not.toBe(sealSecret("same", "t"));
  });

  it("refuses a sealed secret changed anywhere", () => {
    const sealed = sealSecret("client-secret", "tenant-a");
    const parts = sealed.split(".");
    for (let part = 1; part < parts.length; part++) {
      const bytes = Buffer.from(parts[part], "base64url");
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[part] = bytes.toString("base64url");
      expect(() => openSecret(tampered.join("."), "tenant-a")).toThrow();
    }
    expect(() => openSecret("v9" + sealed.slice(2), "tenant-a")).toThrow();
    expect(() => openSecret("garbage", "tenant-a")).toThrow();
  });

  it("refuses a secret sealed under another key", () => {
    const before = process.env.KEYWARD_SSO_SECRET_KEY;
    process.env.KEYWARD_SSO_SECRET_KEY = "one key";
    const sealed = sealSecret("client-secret", "tenant-a");
    process.env.KEYWARD_SSO_SECRET_KEY = "another key";
    try {
      expect(() => openSecret(sealed, "tenant-a")).toThrow();
    } finally {
      if (before === undefined) delete process.env.KEYWARD_SSO_SECRET_KEY;
      else process.env.KEYWARD_SSO_SECRET_KEY = before;
    }
  });
});
