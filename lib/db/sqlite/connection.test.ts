import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sqlite } from "@/lib/db/sqlite/connection";
import { newId } from "@/lib/ids";
import { testEngine } from "@/test/engine";

describe.runIf(testEngine === "sqlite")("the embedded database (SQLite only)", () => {
  it("runs in WAL mode with a busy timeout", () => {
    expect(sqlite().pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite().pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("enforces foreign keys on Prisma's own connection", async () => {
    const [row] = await db.$queryRaw<{ foreign_keys: bigint }[]>`PRAGMA foreign_keys`;
    expect(Number(row.foreign_keys)).toBe(1);
    await expect(
      db.user.create({
        data: {
          id: newId(),
          tenantId: "no-such-tenant",
          email: `${newId()}@example.test`,
          name: "Orphan",
          passwordHash: "x",
        },
      }),
    ).rejects.toThrow();
  });
});
