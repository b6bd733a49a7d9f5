// `npm run db:reset`: removes the embedded SQLite database (and its rate-limit counts) and creates it anew with demo data.
import { removeSqliteFiles } from "../lib/db/sqlite-files.mjs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const root = path.resolve(import.meta.dirname, "..");
const url = process.env.DATABASE_URL || "file:./data/keyward.db";
if (!url.startsWith("file:")) {
  console.error("db:reset only resets the embedded SQLite database.");
  process.exit(1);
}
const file = path.resolve(root, url.slice("file:".length));
removeSqliteFiles(file);
const result = spawnSync(process.execPath, [path.join(root, "scripts", "prepare-db.mjs")], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
