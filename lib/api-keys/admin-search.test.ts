import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Forbidden, Invalid } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { searchTenantApiKeys } from "./admin-search";
import { revokeApiKeys } from "./service";
import { generateApiKeyId } from "./token";

const DAY = 86_400_000;

async function insertKey(
  tenantId: string,
  ownerId: string,
  description: string,
  options: { createdAt?: Date; expiresAt?: Date; revokedAt?: Date; lastUsedAt?: Date } = {},
) {
  const id = generateApiKeyId();
  const createdAt = options.createdAt ?? new Date();
  return db.apiKey.create({
    data: {
      id,
      tenantId,
      ownerId,
      description,
      digest: `digest-${id}`,
      hint: "kw_…abcd",
      createdAt,
      expiresAt: options.expiresAt ?? new Date(createdAt.getTime() + 30 * DAY),
      revokedAt: options.revokedAt ?? null,
      lastUsedAt: options.lastUsedAt ?? null,
    },
  });
}

describe("searchTenantApiKeys", () => {
  let admin: Awaited<ReturnType<typeof createUser>>;
  let tenantId: string;
  let grace: Awaited<ReturnType<typeof createUser>>;
  let otherTenantKeyId: string;
  const keys: { id: string; description: string; ownerId: string }[] = [];

  beforeAll(async () => {
    const tenant = await createTenant();
    tenantId = tenant.id;
    admin = await createUser(tenant.id, { admin: true });
    grace = await createUser(
      tenant.id,
      { developer: true },
      { name: "Grace Hopper", email: `grace-${tenant.id}@navy.test` },
    );
    const linus = await createUser(tenant.id, { developer: true }, { name: "Linus Torvalds" });
    const base = Date.now() - 60 * DAY;
    for (let i = 0; i < 30; i++) {
      const owner = i % 3 === 0 ? grace : linus;
      const description =
        i === 7 ? "Nightly ETL Loader" : `Reporting job ${String(i).padStart(2, "0")}`;
      const key = await insertKey(tenant.id, owner.id, description, {
        createdAt: new Date(base + i * DAY),
        // Keys 0–4 have expired; 5 and 6 get revoked below.
        expiresAt: new Date(base + i * DAY + (i < 5 ? DAY : 365 * DAY)),
        lastUsedAt: i % 4 === 0 ? new Date(base + i * DAY + 3_600_000) : undefined,
      });
      keys.push(key);
    }
    await revokeApiKeys(principalOf(admin), [keys[5].id, keys[6].id]);
    const other = await createTenant();
    const stranger = await createUser(other.id, { developer: true }, { name: "Grace Hopper" });
    otherTenantKeyId = (await insertKey(other.id, stranger.id, "Nightly ETL Loader")).id;
  });

  const search = (query: Record<string, unknown>) => searchTenantApiKeys(principalOf(admin), query);

  it("finds a key by its exact ID and by a prefix of it", async () => {
    const exact = await search({ search: keys[12].id });
    expect(exact.keys.map((key) => key.id)).toEqual([keys[12].id]);
    const prefix = await search({ search: keys[12].id.slice(0, 10).toUpperCase() });
    expect(prefix.keys.map((key) => key.id)).toContain(keys[12].id);
    expect(prefix.keys.every((key) => key.id.startsWith(keys[12].id.slice(0, 10)))).toBe(true);
  });

  it("finds names by substring in any case", async () => {
    const page = await search({ search: "etl loa" });
    expect(page.keys.map((key) => key.id)).toEqual([keys[7].id]);
    // Below three characters (one trigram) a term matches key IDs and owners only.
    const short = await search({ search: "eT", limit: 100 });
    expect(short.keys.map((key) => key.id)).not.toContain(keys[7].id);
    const shortOwner = await search({ search: "Li", limit: 100 });
    expect(shortOwner.keys).toHaveLength(20);
  });

  it("finds keys by their owner's email or name", async () => {
    const byEmail = await search({ search: grace.email, limit: 100 });
    expect(byEmail.keys).toHaveLength(10);
    expect(byEmail.keys.every((key) => key.ownerEmail === grace.email)).toBe(true);
    const byName = await search({ search: "hopper", limit: 100 });
    expect(byName.keys.map((key) => key.id).sort()).toEqual(
      byEmail.keys.map((key) => key.id).sort(),
    );
  });

  it("never shows another tenant's keys", async () => {
    const byName = await search({ search: "Nightly ETL", limit: 100 });
    expect(byName.keys.map((key) => key.id)).not.toContain(otherTenantKeyId);
    const byId = await search({ search: otherTenantKeyId });
    expect(byId.keys).toEqual([]);
    const all = await search({ limit: 100 });
    expect(all.total).toBe(30);
    expect(all.keys.map((key) => key.id)).not.toContain(otherTenantKeyId);
  });

  it("filters by status", async () => {
    const revoked = await search({ status: "revoked" });
    expect(revoked.keys.map((key) => key.id).sort()).toEqual([keys[5].id, keys[6].id].sort());
    const expired = await search({ status: "expired", limit: 100 });
    expect(expired.keys).toHaveLength(5);
    expect(expired.keys.every((key) => key.status === "expired")).toBe(true);
    const active = await search({ status: "active", search: "reporting", limit: 100 });
    expect(active.total).toBe(22);
  });

  it("sorts by each sortable column", async () => {
    const byName = await search({ sort: "name", limit: 100 });
    const names = byName.keys.map((key) => key.description);
    expect(names).toEqual([...names].sort());
    const newest = await search({ sort: "-created", limit: 3 });
    expect(newest.keys.map((key) => key.id)).toEqual([keys[29].id, keys[28].id, keys[27].id]);
    const byOwner = await search({ sort: "-owner", limit: 100 });
    expect(byOwner.keys[0].ownerName).toBe("Linus Torvalds");
    expect(byOwner.keys.at(-1)?.ownerName).toBe("Grace Hopper");
    const byStatus = await search({ sort: "-status", limit: 100 });
    expect(byStatus.keys.slice(0, 2).map((key) => key.status)).toEqual(["revoked", "revoked"]);
    expect(byStatus.keys.at(-1)?.status).toBe("active");
    const byLastUsed = await search({ sort: "-lastUsed", limit: 100 });
    expect(byLastUsed.keys[0].id).toBe(keys[28].id);
    expect(byLastUsed.keys.at(-1)?.lastUsedAt).toBeNull();
    const byExpiry = await search({ sort: "expires", limit: 1 });
    expect(byExpiry.keys[0].id).toBe(keys[0].id);
  });

  it.each(["-created", "name", "-owner", "lastUsed", "-lastUsed", "status", "-expires"])(
    "walks every key once, forwards and back, sorted by %s",
    async (sort) => {
      const seen: string[] = [];
      let after: string | undefined;
      const cursors: (string | undefined)[] = [];
      for (let guard = 0; guard < 20; guard++) {
        const page = await search({ sort, limit: 7, after });
        cursors.push(after);
        seen.push(...page.keys.map((key) => key.id));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
      // Back from the last page lands on the page before it.
      const last = await search({ sort, limit: 7, after: cursors.at(-1) });
      const previous = await search({ sort, limit: 7, before: last.previousCursor ?? undefined });
      expect(previous.keys.map((key) => key.id)).toEqual(seen.slice(21, 28));
    },
  );

  it("refuses callers who are not tenant admins, and bad input", async () => {
    await expect(searchTenantApiKeys(principalOf(grace), {})).rejects.toBeInstanceOf(Forbidden);
    await expect(search({ sort: "digest" })).rejects.toBeInstanceOf(Invalid);
    await expect(search({ status: "gone" })).rejects.toBeInstanceOf(Invalid);
    await expect(search({ after: "not-a-cursor" })).rejects.toBeInstanceOf(Invalid);
  });

  it("keeps search results in step with renamed keys and owners", async () => {
    await db.apiKey.update({ where: { id: keys[20].id }, data: { description: "Quokka sync" } });
    expect((await search({ search: "QUOKKA" })).keys.map((key) => key.id)).toEqual([keys[20].id]);
    expect((await search({ search: "Reporting job 20" })).keys).toEqual([]);
    await db.user.update({ where: { id: grace.id }, data: { name: "Grace Brewster" } });
    expect((await search({ search: "brewster", limit: 100 })).keys).toHaveLength(10);
    await db.user.update({ where: { id: grace.id }, data: { name: "Grace Hopper" } });
  });

  it("tells exactly how many match, and revoking a selection is all or nothing", async () => {
    const principal = principalOf(admin);
    await expect(revokeApiKeys(principal, [keys[10].id, keys[5].id])).rejects.toThrow(/not active/);
    const after = await search({ search: keys[10].id });
    expect(after.keys[0].status).toBe("active");
    expect(await db.apiKey.count({ where: { tenantId, revokedAt: { not: null } } })).toBe(2);
  });
});

describe("revoking another tenant's keys", () => {
  it("finds nothing and revokes nothing", async () => {
    const tenantA = await createTenant();
    const owner = await createUser(tenantA.id, { developer: true });
    const key = await insertKey(tenantA.id, owner.id, "Tenant A key");
    const tenantB = await createTenant();
    const intruder = principalOf(await createUser(tenantB.id, { admin: true }));
    await expect(revokeApiKeys(intruder, [key.id])).rejects.toThrow(/not found/);
    const developer = principalOf(owner);
    await expect(revokeApiKeys(developer, [key.id])).rejects.toBeInstanceOf(Forbidden);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
    const stranger = await searchTenantApiKeys(intruder, { search: key.id });
    expect(stranger.keys).toEqual([]);
  });
});
