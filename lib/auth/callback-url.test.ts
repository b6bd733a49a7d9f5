import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("the page to return to after sign-in", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackUrl("/admin/users")).toBe("/admin/users");
    expect(safeCallbackUrl("/admin/api-keys?search=abc")).toBe("/admin/api-keys?search=abc");
  });

  it("refuses anything that could leave the site", () => {
    for (const value of [
      "//evil.test",
      "/\\evil.test",
      "https://evil.test",
      "evil",
      "",
      null,
      42,
    ]) {
      expect(safeCallbackUrl(value)).toBe("/profile/api-keys");
    }
  });
});
