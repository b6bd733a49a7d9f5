import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** One real SQLite database per test run, migrated like production; removed afterwards. */
export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  process.env.DATABASE_URL = url;
  process.env.AUTH_SECRET = "keyward-test-secret";
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
