import { describe, expect, it } from "vitest";
import { Invalid } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { emailDomain, issuerAllowed, rolesFromClaims, ssoSettingsSchema } from "./rules";

const mapping = { groupsClaim: "groups", developerGroups: ["devs"], adminGroups: ["admins"] };

describe("email domains", () => {
  it("is the part after the last @, lowercased", () => {
    expect(emailDomain("Ann@Example.COM")).toBe("example.com");
    expect(emailDomain("no-at-sign")).toBeNull();
    expect(emailDomain("a@")).toBeNull();
  });

  it("takes domains one per line or comma, lowercased and without duplicates", () => {
    const parsed = parseInput(ssoSettingsSchema, {
      issuer: "https://idp.example.com",
      clientId: "keyward",
      domains: "Example.com, example.com\nsub.example.org",
    });
    expect(parsed.domains).toEqual(["example.com", "sub.example.org"]);
    expect(parsed.groupsClaim).toBe("groups");
  });

  it("refuses a domain that is no domain, naming it", () => {
    for (const domains of ["not a domain", "@example.com", "exa_mple.com", "localhost", ""]) {
      expect(() =>
        parseInput(ssoSettingsSchema, { issuer: "https://i.test", clientId: "c", domains }),
      ).toThrow(Invalid);
    }
  });
});

describe("issuers", () => {
  it("must be https, or http on loopback", () => {
    expect(issuerAllowed("https://idp.example.com")).toBe(true);
    expect(issuerAllowed("http://127.0.0.1:9000")).toBe(true);
    expect(issuerAllowed("http://localhost:9000/oidc")).toBe(true);
    expect(issuerAllowed("http://[::1]:9000")).toBe(true);
    expect(issuerAllowed("http://idp.example.com")).toBe(false);
    expect(issuerAllowed("ftp://idp.example.com")).toBe(false);
    expect(issuerAllowed("https://user:pw@idp.example.com")).toBe(false);
    expect(issuerAllowed("https://idp.example.com/?q=1")).toBe(false);
  });
});

describe("roles from the group claim", () => {
  it("grants the roles whose groups the claim holds", () => {
    expect(rolesFromClaims({ groups: ["devs"] }, mapping)).toEqual({
      developer: true,
      tenantAdmin: false,
    });
    expect(rolesFromClaims({ groups: ["devs", "admins", "other"] }, mapping)).toEqual({
      developer: true,
      tenantAdmin: true,
    });
    expect(rolesFromClaims({ groups: ["other"] }, mapping)).toEqual({
      developer: false,
      tenantAdmin: false,
    });
  });

  it("reads a single string, a missing claim, or a claim of another name", () => {
    expect(rolesFromClaims({ groups: "admins" }, mapping).tenantAdmin).toBe(true);
    expect(rolesFromClaims({}, mapping)).toEqual({ developer: false, tenantAdmin: false });
    expect(rolesFromClaims({ groups: 5 }, mapping)).toEqual({
      developer: false,
      tenantAdmin: false,
    });
    expect(
      rolesFromClaims({ roles: ["devs"] }, { ...mapping, groupsClaim: "roles" }).developer,
    ).toBe(true);
  });

  it("matches group values exactly (case included)", () => {
    expect(rolesFromClaims({ groups: ["Devs", "devs "] }, mapping).developer).toBe(false);
  });
});
