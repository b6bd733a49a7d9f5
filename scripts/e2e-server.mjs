// The Playwright suite's server: Keyward's server on its own freshly seeded database. The suite
// stands in for a proxy on loopback, so that its X-Forwarded-For can pose as distinct clients.
import { removeSqliteFiles } from "../lib/db/sqlite-files.mjs";
import path from "node:path";
import { spawn } from "node:child_process";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.E2E_PORT || "3100";
const file = path.join(root, "data", `e2e-${port}.db`);
// The database and the rate-limit counts beside it start empty on every run.
removeSqliteFiles(file);
const env = {
  ...process.env,
  DATABASE_URL: `file:${file}`,
  AUTH_SECRET: process.env.AUTH_SECRET || "keyward-e2e-secret-not-for-production",
  PORT: port,
  KEYWARD_E2E: "1",
  KEYWARD_TRUSTED_PROXIES: "loopback",
};
const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
  cwd: root,
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
