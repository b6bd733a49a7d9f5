import type { NextConfig } from "next";

// SPEC §9: the headers every response of Keyward carries. Next.js adds them to every response from
// next.config.ts (no code runs per request: the REST API's hot path stays as fast); proxy.ts then
// gives each page a policy with a nonce of its own in place of the one that allows nothing.

/** For API responses, files and anything that is not a page: no content may load, nothing may frame. */
export const STRICT_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

const PERMISSIONS_POLICY = [
  "camera=()",
  "microphone=()",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/** Two years; sent only over HTTPS, where browsers heed it. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * The scheme the client used, as Keyward's server decided it (lib/http/public-origin-rule.mjs): a
 * trusted proxy's X-Forwarded-Proto, else the socket's own; a client's value is replaced.
 */
const PROTOCOL_HEADER = "x-forwarded-proto";

type HeaderRules = Awaited<ReturnType<NonNullable<NextConfig["headers"]>>>;

/**
 * next.config.ts `headers()`: for every path, pages, API, files, errors and redirects alike. Keys in
 * lower case, as proxy.ts writes them, so that a page's own policy replaces the strict one.
 */
export const securityHeaderRules: HeaderRules = [
  {
    source: "/:path*",
    headers: [
      { key: "content-security-policy", value: STRICT_CONTENT_SECURITY_POLICY },
      { key: "x-frame-options", value: "DENY" },
      { key: "x-content-type-options", value: "nosniff" },
      { key: "referrer-policy", value: "strict-origin-when-cross-origin" },
      { key: "permissions-policy", value: PERMISSIONS_POLICY },
    ],
  },
  {
    source: "/:path*",
    has: [{ type: "header", key: PROTOCOL_HEADER, value: "https" }],
    headers: [{ key: "strict-transport-security", value: STRICT_TRANSPORT_SECURITY }],
  },
];

/** A fresh, unguessable value for one response's scripts. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

/**
 * A page's policy: only scripts that carry this response's nonce, and what they load
 * (`'strict-dynamic'`), so that injected markup cannot run script. Next.js finds the nonce in the
 * request's copy of this header and puts it on its own scripts while rendering.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  { https, development }: { https: boolean; development: boolean },
): string {
  return [
    "default-src 'self'",
    // React's development build evaluates server stacks; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Radix renders style attributes on the server and sonner adds its stylesheet at run time, so
    // styles may be inline; with images, fonts and connections held to 'self', injected CSS can
    // still send nothing elsewhere. The nonce guards scripts, where the danger is.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the request reached Keyward over HTTPS, as Keyward's server decided it. */
export function servedOverHttps(headers: Headers): boolean {
  return headers.get(PROTOCOL_HEADER) === "https";
}
