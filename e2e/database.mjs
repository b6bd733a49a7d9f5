// Where the end-to-end suite keeps its data, for its server (scripts/e2e-server.mjs) and its
// fixtures alike. Plain JavaScript, so that the server script can use the same rules.
//   E2E_DATABASE_URL unset or `file:…`  SQLite files (default `data/e2e-<port>.db`)
//   E2E_DATABASE_URL=postgres://…/db    a database of the suite's own on that server
import path from "node:path";
import pg from "pg";
import { removeSqliteFiles } from "../lib/db/sqlite-files.mjs";

const root = path.resolve(import.meta.dirname, "..");
const POSTGRES = /^postgres(ql)?:\/\//;

/** The suite server's port: playwright.config.ts and the server script read the same variable. */
export function e2ePort() {
  return process.env.E2E_PORT || "3100";
}

/** The name of the suite server's database, before the engine's spelling. */
export function suiteDatabaseName() {
  return `e2e-${e2ePort()}`;
}

/**
 * The database URL for `name` (`e2e-3100`, `e2e-direct-start-42`): a SQLite file in data/ (or
 * E2E_DATABASE_URL's own file for the suite's database), or `keyward_e2e_3100` on the PostgreSQL
 * server of E2E_DATABASE_URL, with its other settings kept.
 */
export function e2eDatabaseUrl(name = suiteDatabaseName()) {
  const configured = process.env.E2E_DATABASE_URL;
  if (configured && POSTGRES.test(configured)) {
    const url = new URL(configured);
    url.pathname = `/${postgresName(name)}`;
    return url.toString();
  }
  if (configured?.startsWith("file:") && name === suiteDatabaseName()) {
    return `file:${path.resolve(root, configured.slice("file:".length))}`;
  }
  if (configured && !configured.startsWith("file:")) {
    throw new Error(
      `E2E_DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${configured}").`,
    );
  }
  return `file:${path.join(root, "data", `${name}.db`)}`;
}

/** `e2e-direct-start-42` → `keyward_e2e_direct_start_42`: lower case, no quoting needed. */
function postgresName(/** @type {string} */ name) {
  return `keyward_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
}

/** Runs `statements` on E2E_DATABASE_URL's PostgreSQL server, from the database it names. */
async function onServer(/** @type {string[]} */ statements) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Removes the database at `url` with everything beside it: SQLite's files and the rate-limit counts
 * next to them, or the PostgreSQL database (its `keyward_rate_limits` table with it).
 */
export async function dropE2eDatabase(/** @type {string} */ url) {
  if (POSTGRES.test(url)) {
    const name = new URL(url).pathname.slice(1);
    await onServer([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
  } else {
    removeSqliteFiles(url.slice("file:".length));
  }
}

/** An empty database at `url`, for the server's migrations and seed to fill. */
export async function freshE2eDatabase(/** @type {string} */ url) {
  await dropE2eDatabase(url);
  if (POSTGRES.test(url)) {
    const name = new URL(url).pathname.slice(1);
    await onServer([`CREATE DATABASE "${name}"`]);
  }
}
