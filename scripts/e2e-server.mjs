// The Playwright suite's server: Keyward's server on its own freshly seeded database (SQLite, or
// PostgreSQL when E2E_DATABASE_URL names a server; e2e/database.mjs decides for fixtures too). The
// suite stands in for a proxy on loopback, so that its X-Forwarded-For can pose as distinct clients.
import path from "node:path";
import { spawn } from "node:child_process";
import { e2eDatabaseUrl, e2ePort, freshE2eDatabase } from "../e2e/database.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = e2ePort();
const url = e2eDatabaseUrl();
// The database and the rate-limit counts kept with it start empty on every run.
await freshE2eDatabase(url);
const env = {
  ...process.env,
  DATABASE_URL: url,
  AUTH_SECRET: process.env.AUTH_SECRET || "keyward-e2e-secret-not-for-production",
  PORT: port,
  KEYWARD_E2E: "1",
  KEYWARD_TRUSTED_PROXIES: "loopback",
  // e2e/sso.spec.ts runs its identity provider on plain http://127.0.0.1 (lib/sso/rules.ts).
  KEYWARD_SSO_HTTP_LOOPBACK: "1",
};
const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
  cwd: root,
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
