import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { migrate } from "@/scripts/migrate.mjs";

/** A database URL on the test server: the same server, another database. */
function postgresDatabaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * One migrated template database per run, on the engine KEYWARD_TEST_ENGINE names (`sqlite`, the
 * default, or `postgres` on the server at KEYWARD_TEST_POSTGRES_URL); each worker then takes a
 * copy of its own (test/setup.ts), so that parallel test files never share a database.
 */
export default async function setup() {
  process.env.AUTH_SECRET = "keyward-test-secret";
  process.env.KEYWARD_AUDIT_SECRET = "keyward-test-audit-secret";
  const run = crypto.randomBytes(4).toString("hex");
  if (process.env.KEYWARD_TEST_ENGINE === "postgres") {
    const serverUrl = process.env.KEYWARD_TEST_POSTGRES_URL;
    if (!serverUrl)
      throw new Error("KEYWARD_TEST_ENGINE=postgres needs KEYWARD_TEST_POSTGRES_URL.");
    const template = `keyward_test_${run}`;
    migrate(postgresDatabaseUrl(serverUrl, template), { stdio: "pipe" });
    process.env.KEYWARD_TEST_TEMPLATE = postgresDatabaseUrl(serverUrl, template);
    return async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>(
          "SELECT datname FROM pg_database WHERE datname LIKE $1",
          [`${template}%`],
        );
        for (const { datname } of rows) {
          await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        }
      } finally {
        await client.end();
      }
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-"));
  const template = path.join(dir, "template.db");
  migrate(`file:${template}`, { stdio: "pipe" });
  process.env.KEYWARD_TEST_TEMPLATE = `file:${template}`;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
