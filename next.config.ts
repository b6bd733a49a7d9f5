import type { NextConfig } from "next";
import { securityHeaderRules } from "./lib/http/security-headers";

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
