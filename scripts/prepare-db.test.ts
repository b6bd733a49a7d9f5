import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// prepare-db runs in a folder of its own, whose data/ stands for Keyward's; on PostgreSQL against a
// database named after the run's template, which the global setup drops with it.
const root = path.resolve(__dirname, "..");
const template = process.env.KEYWARD_TEST_TEMPLATE ?? "";
const onPostgres = /^postgres(ql)?:\/\//.test(template);
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-prepare-"));
const data = path.join(cwd, "data");

function databaseUrl(): string {
  if (!onPostgres) return `file:${path.join(data, "keyward.db")}`;
  const url = new URL(template);
  url.pathname = `${url.pathname}_prepare`;
  return url.toString();
}

afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe("prepare-db", () => {
  it("leaves the data folder to its owner alone (0700, every file 0600), even where it found it open", () => {
    // What an earlier release left behind: a readable folder, secret and rate-limit store.
    fs.mkdirSync(data, { mode: 0o755 });
    fs.chmodSync(data, 0o755);
    for (const name of [".auth-secret", "keyward.rate-limit.db"]) {
      fs.writeFileSync(path.join(data, name), name === ".auth-secret" ? "an-old-secret" : "");
      fs.chmodSync(path.join(data, name), 0o644);
    }

    const result = spawnSync(process.execPath, [path.join(root, "scripts", "prepare-db.mjs")], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl() },
      encoding: "utf8",
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);

    expect(mode(data)).toBe("700");
    const files = fs.readdirSync(data);
    if (!onPostgres) expect(files).toContain("keyward.db");
    expect(Object.fromEntries(files.map((name) => [name, mode(path.join(data, name))]))).toEqual(
      Object.fromEntries(files.map((name) => [name, "600"])),
    );
  });
});
