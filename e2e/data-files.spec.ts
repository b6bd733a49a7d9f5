import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, stopServer, waitForHealth } from "../scripts/server-process";
import { e2eDatabaseUrl, expect, test } from "./fixtures";

// A fresh data folder, prepared and served as `npm start` does, in a folder of its own (whose
// data/ stands for Keyward's): the database, its journals, the rate-limit store and the session
// secret are readable by their owner alone.
const root = path.resolve(__dirname, "..");
const onPostgres = !e2eDatabaseUrl().startsWith("file:");

test.describe.configure({ timeout: 180_000 });

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

test("after prepare and start, the data folder is 0700 and every file in it 0600", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-e2e-data-"));
  const data = path.join(cwd, "data");
  // On PostgreSQL the folder holds the session secret only; the suite's database serves.
  const databaseUrl = onPostgres ? e2eDatabaseUrl() : `file:${path.join(data, "keyward.db")}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  // Without AUTH_SECRET, Keyward makes its own secret and keeps it in data/.
  delete env.AUTH_SECRET;
  const prepared = spawnSync(process.execPath, [path.join(root, "scripts", "prepare-db.mjs")], {
    cwd,
    env,
    encoding: "utf8",
  });
  expect(prepared.status, prepared.stdout + prepared.stderr).toBe(0);

  const port = await freePort();
  const server = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...env, NODE_ENV: "production", PORT: String(port) },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, server, 120);
    // The session secret is made on first use; a refused key is counted in the rate-limit store.
    expect((await fetch(`${base}/api/auth/csrf`)).status).toBe(200);
    const refused = await fetch(`${base}/api/v1/users/me`, {
      headers: { authorization: "Bearer kw_not-a-key" },
    });
    expect(refused.status).toBe(401);

    const files = fs.readdirSync(data);
    const expected = onPostgres
      ? [".auth-secret"]
      : [".auth-secret", "keyward.db", "keyward.db-wal", "keyward.rate-limit.db"];
    expect(files).toEqual(expect.arrayContaining(expected));
    expect(mode(data)).toBe("700");
    expect(Object.fromEntries(files.map((name) => [name, mode(path.join(data, name))]))).toEqual(
      Object.fromEntries(files.map((name) => [name, "600"])),
    );
  } finally {
    await stopServer(server);
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
