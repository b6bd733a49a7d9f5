// `npm test`: type-check, lint, then the unit and browser suites on SQLite and on PostgreSQL.
// PostgreSQL is the server at KEYWARD_TEST_POSTGRES_URL, or a throwaway cluster started here when
// PostgreSQL is installed; without either, the PostgreSQL runs are skipped, and said so.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { postgresAvailable, startCluster } from "./postgres.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const timings = [];

function step(name, command, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  timings.push(`${name}: ${Math.round((Date.now() - started) / 1000)} s`);
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed.`);
    return false;
  }
  return true;
}

async function postgresServer() {
  if (process.env.KEYWARD_TEST_POSTGRES_URL) {
    return { url: process.env.KEYWARD_TEST_POSTGRES_URL, stop: async () => {} };
  }
  if (process.env.KEYWARD_TEST_POSTGRES === "off" || !postgresAvailable()) return null;
  // A port that happens to be taken fails the start; another one is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return startCluster({ port: 55000 + Math.floor(Math.random() * 400) });
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

async function main() {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  if (!step("type-check", npm, ["run", "typecheck"])) return 1;
  if (!step("lint", npm, ["run", "lint"])) return 1;

  const postgres = await postgresServer();
  if (!postgres) {
    console.warn(
      "\n⚠ PostgreSQL is not installed here (and KEYWARD_TEST_POSTGRES_URL is unset): " +
        "the PostgreSQL runs are SKIPPED; only SQLite is tested.",
    );
  }
  let ok = true;
  try {
    const pg = postgres
      ? { KEYWARD_TEST_ENGINE: "postgres", KEYWARD_TEST_POSTGRES_URL: postgres.url }
      : null;
    ok &&= step("unit + integration (SQLite)", bin("vitest"), ["run"], {
      KEYWARD_TEST_ENGINE: "sqlite",
      ...(postgres ? { KEYWARD_TEST_POSTGRES_URL: postgres.url } : {}),
    });
    if (pg) ok &&= step("unit + integration (PostgreSQL)", bin("vitest"), ["run"], pg);
    ok &&= step("end-to-end (SQLite)", bin("playwright"), ["test"], {
      E2E_DATABASE_URL: "",
    });
    if (pg) {
      ok &&= step("end-to-end (PostgreSQL)", bin("playwright"), ["test"], {
        E2E_DATABASE_URL: postgres.url,
        E2E_PORT: "3101",
      });
    }
  } finally {
    await postgres?.stop();
  }
  console.log(`\n${timings.join("\n")}`);
  if (!postgres) console.warn("PostgreSQL was skipped.");
  return ok ? 0 : 1;
}

process.exit(await main());
