import { describe, expect, it } from "vitest";
import { testEngine } from "@/test/engine";
import { createTenant } from "@/test/factories";
import { db } from "../index";
import { SnapshotCache } from "./snapshot-cache";
import { sqlite } from "./connection";

function countingLoader<V>(value: V | undefined) {
  const load = () => {
    load.calls += 1;
    return value;
  };
  load.calls = 0;
  return load;
}

describe.runIf(testEngine === "sqlite")("SnapshotCache (SQLite only)", () => {
  it("reads a row once while nothing is committed", () => {
    const cache = new SnapshotCache<{ name: string }>(10);
    const load = countingLoader({ name: "Acme" });
    expect(cache.get("a", load)).toEqual({ name: "Acme" });
    expect(cache.get("a", load)).toEqual({ name: "Acme" });
    expect(load.calls).toBe(1);
  });

  it("reads again after a commit through Prisma's connection", async () => {
    const cache = new SnapshotCache<string>(10);
    const load = countingLoader("row");
    cache.get("a", load);
    await createTenant();
    cache.get("a", load);
    expect(load.calls).toBe(2);
  });

  it("reads again after a commit through this process's raw connection", () => {
    const cache = new SnapshotCache<string>(10);
    const load = countingLoader("row");
    cache.get("a", load);
    sqlite()
      .prepare(
        `UPDATE "Tenant" SET "name" = "name" || '.' WHERE "id" IN (SELECT "id" FROM "Tenant" LIMIT 1)`,
      )
      .run();
    cache.get("a", load);
    expect(load.calls).toBe(2);
  });

  it("keeps reading after a rolled-back write saw nothing change", async () => {
    const cache = new SnapshotCache<string>(10);
    const load = countingLoader("row");
    cache.get("a", load);
    await db
      .$transaction(async (tx) => {
        await tx.tenant.updateMany({ data: { name: "never" } });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    cache.get("a", load);
    expect(load.calls).toBe(1);
  });

  it("does not keep misses, and starts over when full", () => {
    const cache = new SnapshotCache<string>(2);
    const miss = countingLoader<string>(undefined);
    expect(cache.get("unknown", miss)).toBeUndefined();
    expect(cache.get("unknown", miss)).toBeUndefined();
    expect(miss.calls).toBe(2);
    const load = countingLoader("row");
    for (const key of ["a", "b", "c", "a"]) cache.get(key, load);
    expect(load.calls).toBe(4);
  });

  it("hands out frozen rows", () => {
    const cache = new SnapshotCache<{ name: string }>(10);
    const row = cache.get("a", () => ({ name: "Acme" }))!;
    expect(Object.isFrozen(row)).toBe(true);
  });
});
