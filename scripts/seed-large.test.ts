import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { seedLarge } from "./seed-large";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-large-"));
const file = path.join(dir, "large.db");

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  return db
    .prepare<unknown[], number>(sql)
    .pluck()
    .get(...params)!;
}

describe("seed:large", () => {
  it("fills the large tenant, with every key findable by name and the search trigger back", async () => {
    await seedLarge(file, 2_500);
    const db = new Database(file, { readonly: true });
    try {
      expect(count(db, `SELECT count(*) FROM "ApiKey"`)).toBe(2_500);
      for (const term of ["ledger", "webhook relay", "#1234"]) {
        expect(
          count(
            db,
            `SELECT count(*) FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?`,
            `"${term}"`,
          ),
          term,
        ).toBe(count(db, `SELECT count(*) FROM "ApiKey" WHERE description LIKE ?`, `%${term}%`));
      }
      const trigger = `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?`;
      expect(count(db, trigger, "ApiKey_search_after_insert")).toBe(1);
      expect(count(db, `SELECT count(DISTINCT digest) FROM "ApiKey"`)).toBe(2_500);
    } finally {
      db.close();
    }
  });

  it("leaves a tenant that already has the keys as it is", async () => {
    await seedLarge(file, 2_000);
    const db = new Database(file, { readonly: true });
    expect(count(db, `SELECT count(*) FROM "ApiKey"`)).toBe(2_500);
    db.close();
  });
});
