// `npm run db:reset`: deletes the database of DATABASE_URL (on SQLite with its rate-limit counts;
// on PostgreSQL the whole database, its rate-limit table with it) and creates it anew with demo data.
import path from "node:path";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { removeSqliteFiles } from "../lib/db/sqlite-files.mjs";
import { DEFAULT_DATABASE_URL } from "./migrate.mjs";

const root = path.resolve(import.meta.dirname, "..");
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

if (url.startsWith("file:")) {
  removeSqliteFiles(path.resolve(root, url.slice("file:".length)));
} else if (/^postgres(ql)?:\/\//.test(url)) {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const server = new URL(url);
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
} else {
  console.error(`DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${url}").`);
  process.exit(1);
}
const result = spawnSync(process.execPath, [path.join(root, "scripts", "prepare-db.mjs")], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
