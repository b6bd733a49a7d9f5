import type { NextConfig } from "next";

// SPEC §9: the headers every response of Keyward carries. Defined here, with no import: Next.js
// resolves the config's imports from the working directory, which a server whose data folder is
// elsewhere does not share. proxy.ts gives each page its own policy with a nonce instead.

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

/**
 * next.config.ts `headers()`: for every path, pages, API, files, errors and redirects alike. Keys in
 * lower case, as proxy.ts writes them, so that a page's own policy replaces the strict one.
 */
export const securityHeaderRules: Awaited<ReturnType<NonNullable<NextConfig["headers"]>>> = [
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

const nextConfig: NextConfig = {
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  // rate-limiter-flexible is loaded once by Node rather than copied into each bundle: its limiters
  // are shared through globalThis by route handlers and server actions, which Next bundles apart,
  // and a rejection must be the same RateLimiterRes class everywhere.
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pg", "rate-limiter-flexible"],
  poweredByHeader: false,
  async headers() {
    return securityHeaderRules;
  },
  turbopack: {
    rules: {
      "*.css": {
        loaders: ["@tailwindcss/turbopack"],
        as: "*.css",
      },
    },
  },
};

export default nextConfig;
