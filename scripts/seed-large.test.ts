import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { Client } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { LARGE_TENANT_SLUG, seedLarge } from "./seed-large";

// The seed writes to a database of its own: a file on SQLite; on PostgreSQL a database named after
// the run's template, which the global setup drops with it.
const template = process.env.KEYWARD_TEST_TEMPLATE ?? "";
const onPostgres = /^postgres(ql)?:\/\//.test(template);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-test-large-"));

function seedTarget(): string {
  if (!onPostgres) return path.join(dir, "large.db");
  const url = new URL(template);
  url.pathname = `${url.pathname}_large`;
  return url.toString();
}
const target = seedTarget();

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One number from the seeded database, whichever engine holds it. */
async function count(sql: string, ...params: unknown[]): Promise<number> {
  if (!onPostgres) {
    const db = new Database(target, { readonly: true });
    try {
      return db
        .prepare<unknown[], number>(sql)
        .pluck()
        .get(...params)!;
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: target });
  await client.connect();
  try {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    const { rows } = await client.query<Record<string, unknown>>(text, params);
    return Number(Object.values(rows[0])[0]);
  } finally {
    await client.end();
  }
}

describe("seed:large", () => {
  it("fills the large tenant, with every key findable by name", async () => {
    await seedLarge(target, 2_500);
    expect(await count(`SELECT count(*) FROM "ApiKey"`)).toBe(2_500);
    expect(await count(`SELECT count(DISTINCT "digest") FROM "ApiKey"`)).toBe(2_500);
    expect(await count(`SELECT count(*) FROM "User" WHERE "email" = ?`, "admin@large.test")).toBe(
      1,
    );
    expect(await count(`SELECT count(*) FROM "Tenant" WHERE "slug" = ?`, LARGE_TENANT_SLUG)).toBe(
      1,
    );
    // Every user's password hash has its own salt.
    const users = await count(`SELECT count(*) FROM "User"`);
    expect(users).toBeGreaterThan(1);
    expect(await count(`SELECT count(DISTINCT "passwordHash") FROM "User"`)).toBe(users);
    for (const term of ["ledger", "webhook relay", "#1234"]) {
      const byLike = await count(
        `SELECT count(*) FROM "ApiKey" WHERE lower("description") LIKE ?`,
        `%${term}%`,
      );
      expect(byLike, term).toBeGreaterThan(0);
      if (!onPostgres) {
        const byIndex = await count(
          `SELECT count(*) FROM "ApiKeyDescriptionSearch" WHERE "ApiKeyDescriptionSearch" MATCH ?`,
          `"${term}"`,
        );
        expect(byIndex, term).toBe(byLike);
      }
    }
    // The key search's name ranges hold every key: a piece's range runs from the first name that
    // holds it to the last, and over their owners' names.
    for (const piece of ["led", "bil", "#12"]) {
      for (const [column, value] of [
        ["Description", 'k."description"'],
        ["OwnerName", 'u."name"'],
      ]) {
        const outside = await count(
          `SELECT count(*) FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
           JOIN "ApiKeyNameTrigram" r ON r."tenantId" = k."tenantId" AND r."trigram" = ?
           WHERE lower(k."description") LIKE ? AND NOT (${value} BETWEEN r."min${column}" AND r."max${column}")`,
          piece,
          `%${piece}%`,
        );
        expect(outside, `${piece} ${column}`).toBe(0);
        const ranges = await count(
          `SELECT count(*) FROM "ApiKeyNameTrigram" WHERE "trigram" = ?`,
          piece,
        );
        expect(ranges, piece).toBe(1);
      }
    }
  });

  it("puts back what it set aside for speed: the name trigger, or the key table's indexes", async () => {
    if (onPostgres) {
      const indexes = await count(`SELECT count(*) FROM pg_indexes WHERE tablename = 'ApiKey'`);
      expect(indexes).toBeGreaterThanOrEqual(10);
      expect(
        await count(
          `SELECT count(*) FROM pg_indexes WHERE indexname = 'ApiKey_description_trgm_idx'`,
        ),
      ).toBe(1);
    } else {
      const trigger = `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?`;
      expect(await count(trigger, "ApiKey_search_after_insert")).toBe(1);
    }
  });

  it("leaves a tenant that already has the keys as it is", async () => {
    await seedLarge(target, 2_000);
    expect(await count(`SELECT count(*) FROM "ApiKey"`)).toBe(2_500);
  });
});
