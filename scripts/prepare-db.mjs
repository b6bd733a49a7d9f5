// Applies migrations and, on an empty database, seeds the demo data (SPEC §2).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sqliteFiles } from "../lib/db/sqlite-files.mjs";
import { DEFAULT_DATABASE_URL, migrate } from "./migrate.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

// The database, its journals and the session secret are the owner's alone: whatever this process
// and its children (migrations, seed) create is 0600, a folder 0700.
process.umask(0o077);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Puts right what an earlier release left readable: the data folder (where lib/auth/secret.ts keeps
 * the session secret, and the SQLite database by default) 0700 and each file in it 0600, and a
 * SQLite database's files 0600 wherever DATABASE_URL puts them.
 */
function protectDataFiles() {
  const data = path.resolve(process.cwd(), "data");
  const files = [];
  if (fs.existsSync(data)) {
    fs.chmodSync(data, 0o700);
    for (const entry of fs.readdirSync(data, { withFileTypes: true })) {
      if (entry.isFile()) files.push(path.join(data, entry.name));
    }
  }
  if (url.startsWith("file:")) {
    files.push(...sqliteFiles(path.resolve(process.cwd(), url.slice("file:".length))));
  }
  for (const file of files) {
    if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
  }
}

try {
  protectDataFiles();
  migrate(url);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
run(bin("tsx"), ["--conditions=react-server", path.join(root, "prisma", "seed.ts"), "--if-empty"]);
