// Keyward's one migration entry point: Prisma's migrations for SQLite, db/migrations for PostgreSQL.
//   DATABASE_URL=... node scripts/migrate.mjs
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_DATABASE_URL = "file:./data/keyward.db";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

/**
 * dbmate's own binary, from the npm package of this platform (an optional dependency: the registry
 * mirror these machines use carries only linux-x64's), else a `dbmate` on the PATH.
 */
export function dbmateBinary() {
  const packaged = path.join(
    root,
    "node_modules",
    "@dbmate",
    `${process.platform}-${process.arch}`,
  );
  const binary = path.join(packaged, "bin", process.platform === "win32" ? "dbmate.exe" : "dbmate");
  return fs.existsSync(binary) ? binary : "dbmate";
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * dbmate's driver asks for TLS unless told otherwise, which a local server does not offer; a remote
 * server keeps whatever the URL (or the driver's default) says.
 */
export function dbmateUrl(url) {
  const parsed = new URL(url);
  const local = parsed.hostname === "" || LOOPBACK.test(parsed.hostname);
  if (local && !parsed.searchParams.has("sslmode")) parsed.searchParams.set("sslmode", "disable");
  return parsed.toString();
}

function run(command, args, env, stdio) {
  const name = `${path.basename(command)} ${args.at(-1)}`;
  const result = spawnSync(command, args, { cwd: root, env, stdio, encoding: "utf8" });
  if (result.error?.code === "ENOENT" && command === "dbmate") {
    throw new Error(
      `PostgreSQL migrations need dbmate: no @dbmate/${process.platform}-${process.arch} package and no dbmate on the PATH.`,
    );
  }
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = stdio === "pipe" ? `\n${result.stdout}${result.stderr}` : "";
    throw new Error(`${name} failed (${result.status}).${output}`);
  }
}

/**
 * Brings the database at `url` up to the latest migration; a PostgreSQL database is created first
 * if it does not exist. `stdio: "pipe"` keeps the tools quiet and puts their output in the error.
 */
export function migrate(url = DEFAULT_DATABASE_URL, { stdio = "inherit" } = {}) {
  const env = { ...process.env, DATABASE_URL: url };
  if (url.startsWith("file:")) {
    run(bin("prisma"), ["migrate", "deploy"], env, stdio);
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    const migrations = path.join(root, "db", "migrations");
    const args = [
      "--url",
      dbmateUrl(url),
      "--migrations-dir",
      migrations,
      "--no-dump-schema",
      "up",
    ];
    run(dbmateBinary(), args, env, stdio);
  } else {
    throw new Error(
      `DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${url}").`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    migrate(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
