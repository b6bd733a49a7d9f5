import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOME_PATH, safeCallbackUrl } from "./callback-url";

/** Return paths that try to leave the site, as `callbackUrl` decodes them (one decoding). */
const LEAVING_PATHS = [
  "//evil.test",
  "///evil.test",
  "/\\evil.test",
  "\\\\evil.test",
  "/\\/evil.test",
  "/\t/evil.test",
  "/\t\t/evil.test",
  "\t//evil.test",
  " //evil.test",
  "/\n/evil.test",
  "/\r/evil.test",
  "/\r\n/evil.test",
  "/\\\t/evil.test",
  "//evil\u3002test",
  "//evil%E3%80%82test",
  "/.//evil.test",
  "/%2e//evil.test",
  "/a/..//evil.test",
  "/%2E%2E//evil.test",
  "https://evil.test",
  "http://evil.test/admin",
  "HTTPS://evil.test",
  "https:evil.test",
  "https:/evil.test",
  "//user@evil.test",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.test",
  "",
  "\u0000",
];

/** Odd return paths that stay on the site: each keeps (an encoding of) its own path. */
const STAYING_PATHS: [string, string][] = [
  ["/admin/users", "/admin/users"],
  ["/admin/api-keys?search=abc#top", "/admin/api-keys?search=abc#top"],
  ["/\u0000/evil.test", "/%00/evil.test"],
  ["/%00/evil.test", "/%00/evil.test"],
  ["/%09/evil.test", "/%09/evil.test"],
  ["/%2F%2Fevil.test", "/%2F%2Fevil.test"],
  ["/%5C/evil.test", "/%5C/evil.test"],
  ["/%252F%252Fevil.test", "/%252F%252Fevil.test"],
  ["/\u3002evil.test", "/%E3%80%82evil.test"],
  ["/admin?next=\r\n//evil.test", "/admin?next=//evil.test"],
  ["/admin#\n//evil.test", "/admin#//evil.test"],
];

describe("the page to return to after sign-in", () => {
  it("keeps paths on this site, encoded for a Location header", () => {
    for (const [value, expected] of STAYING_PATHS)
      expect(safeCallbackUrl(value), value).toBe(expected);
  });

  it("refuses anything that could leave the site, in whatever spelling", () => {
    for (const value of LEAVING_PATHS) expect(safeCallbackUrl(value), value).toBe(HOME_PATH);
    for (const value of [null, undefined, 42, ["/admin/users"]]) {
      expect(safeCallbackUrl(value)).toBe(HOME_PATH);
    }
  });

  it("never leaves the origin it is resolved against, and is safe in a header, for any input", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc
            .array(
              fc.constantFrom(
                "/",
                "\\",
                ".",
                "%2e",
                "\t",
                "\n",
                "\r",
                "\u0000",
                "\u3002",
                ":",
                "@",
                "evil.test",
                "a",
                "%",
              ),
            )
            .map((parts) => parts.join("")),
        ),
        fc.constantFrom("http://127.0.0.1:3000", "https://keyward.example.com"),
        (value, origin) => {
          const path = safeCallbackUrl(value);
          expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
          expect(new URL(path, origin).origin).toBe(origin);
          expect(path).toMatch(/^[\x21-\x7e]+$/);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
