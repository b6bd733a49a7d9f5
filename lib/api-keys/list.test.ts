import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { newId } from "@/lib/ids";
import { listApiKeys, listApiKeysQuerySchema } from "./list";

async function seedKeys(tenantId: string, ownerIds: string[], count: number) {
  const base = Date.UTC(2026, 0, 1);
  await db.apiKey.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      id: newId(),
      tenantId,
      ownerId: ownerIds[i % ownerIds.length],
      description: `key ${i % 10}`,
      digest: newId() + newId(),
      hint: "kw_…0000",
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      expiresAt: new Date(i % 4 === 0 ? base : Date.now() + 86_400_000),
      revokedAt: i % 6 === 0 ? new Date() : null,
    })),
  });
}

const query = (params: Record<string, string>) => listApiKeysQuerySchema.parse(params);

describe("listApiKeys", () => {
  it("shows a user only their own keys and an admin all of the tenant's", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const dev = await createUser(tenant.id, { developer: true });
    const stranger = await createUser(other.id, { developer: true, admin: true });
    await seedKeys(tenant.id, [admin.id, dev.id], 10);
    await seedKeys(other.id, [stranger.id], 3);

    const own = await listApiKeys(principalOf(dev), query({ limit: "100" }));
    expect(own.data).toHaveLength(5);
    expect(own.data.every((key) => key.sub === dev.id)).toBe(true);
    const asked = await listApiKeys(principalOf(dev), query({ sub: admin.id }));
    expect(asked.data).toEqual([]);
    const all = await listApiKeys(principalOf(admin), query({ limit: "100" }));
    expect(all.data).toHaveLength(10);
    expect(all.data.every((key) => key.tenantId === tenant.id)).toBe(true);
  });

  it("walks every sort forward and back without gaps or repeats", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const devs = [admin, await createUser(tenant.id), await createUser(tenant.id)];
    await seedKeys(
      tenant.id,
      devs.map((dev) => dev.id),
      61,
    );
    const principal = principalOf(admin);
    for (const sort of [
      "-created",
      "created",
      "description",
      "-status",
      "+status",
      "sub",
      "-createdByUser",
    ]) {
      for (const status of [undefined, "expired"]) {
        const filter: Record<string, string> = status
          ? { status, sort, limit: "7" }
          : { sort, limit: "7" };
        const forward: string[] = [];
        let page = await listApiKeys(principal, query(filter));
        expect(page.prevEndingBefore).toBeUndefined();
        forward.push(...page.data.map((key) => key.id));
        while (page.nextStartingAfter) {
          page = await listApiKeys(
            principal,
            query({ ...filter, startingAfter: page.nextStartingAfter }),
          );
          forward.push(...page.data.map((key) => key.id));
        }
        const expected = await db.apiKey.count({
          where: {
            tenantId: tenant.id,
            ...(status ? { revokedAt: null, expiresAt: { lte: new Date() } } : {}),
          },
        });
        expect(new Set(forward).size).toBe(expected);
        expect(forward).toHaveLength(expected);
        const backward: string[] = [...page.data.map((key) => key.id)];
        while (page.prevEndingBefore) {
          page = await listApiKeys(
            principal,
            query({ ...filter, endingBefore: page.prevEndingBefore }),
          );
          backward.unshift(...page.data.map((key) => key.id));
        }
        expect(backward).toEqual(forward);
      }
    }
  });

  it("refuses unknown sorts and limits out of range", () => {
    for (const params of [{ sort: "-owner" }, { limit: "0" }, { limit: "101" }, { limit: "2.5" }]) {
      expect(listApiKeysQuerySchema.safeParse(params).success).toBe(false);
    }
    expect(listApiKeysQuerySchema.parse({})).toMatchObject({ sort: "-created", limit: 20 });
  });
});
