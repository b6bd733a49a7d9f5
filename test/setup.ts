import fs from "node:fs";
import { Client } from "pg";

/**
 * Each worker's own database, copied from the run's migrated template (test/global-setup.ts): on
 * SQLite a copy of the file, on PostgreSQL `CREATE DATABASE … TEMPLATE`. Nothing here may point
 * at a developer's database.
 */
async function workerDatabase(template: string, worker: string): Promise<string> {
  if (template.startsWith("file:")) {
    const file = template.slice("file:".length).replace(/template\.db$/, `worker-${worker}.db`);
    if (!fs.existsSync(file)) fs.copyFileSync(template.slice("file:".length), file);
    return `file:${file}`;
  }
  const url = new URL(template);
  const source = url.pathname.slice(1);
  const database = `${source}_w${worker}`;
  url.pathname = `/${database}`;
  const server = new URL(template);
  server.pathname = "/postgres";
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      database,
    ]);
    // Workers copying the template at the same moment are refused while another copy runs.
    for (let attempt = 1; !rowCount; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${database}" TEMPLATE "${source}"`);
        break;
      } catch (error) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await client.end();
  }
  return url.toString();
}

const template = process.env.KEYWARD_TEST_TEMPLATE;
if (!template || !/keyward[-_]test[-_]/.test(template)) {
  throw new Error("Tests must run against a temporary test database (see test/global-setup.ts).");
}
process.env.DATABASE_URL = await workerDatabase(
  template,
  process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "1",
);
