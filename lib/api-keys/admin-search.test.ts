import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Forbidden, Invalid } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { ADMIN_KEY_COUNT_CAP, searchTenantApiKeys } from "./admin-search";
import { keySearchMatch } from "./key-search";
import { revokeApiKeys } from "./service";
import { apiKeyStatus } from "./status";
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

/** The keys of every page of a search, forwards from the first (40 pages at most). */
async function everyPage(
  search: (after?: string) => ReturnType<typeof searchTenantApiKeys>,
): Promise<string[]> {
  let page = await search();
  const found = page.keys.map((key) => key.id);
  for (let pages = 1; page.nextCursor && pages < 40; pages++) {
    page = await search(page.nextCursor);
    found.push(...page.keys.map((key) => key.id));
  }
  expect(page.nextCursor).toBeFalsy();
  return found;
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
    // Below three characters (one trigram) a term matches key IDs, and owners from the start.
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
    // A forged cursor of a time sort whose value is no storable time: PostgreSQL would fail its cast.
    const forged = (v: string) => Buffer.from(JSON.stringify({ v, r: 1 })).toString("base64url");
    for (const v of ["garbage", "+100000-01-01T00:00:00Z"]) {
      for (const sort of ["-created", "+expires", "-lastUsed", "+status"]) {
        await expect(search({ sort, after: forged(v) })).rejects.toBeInstanceOf(Invalid);
      }
      // A name is any text.
      await expect(search({ sort: "+name", after: forged(v) })).resolves.toBeDefined();
    }
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

describe("the search rules", () => {
  it("reads a hex term as the start of a key ID, up to the ID's length", () => {
    expect(keySearchMatch(" A9 ")).toEqual({
      text: "a9",
      mode: "prefix",
      idRange: { from: "a9", to: "aa" },
    });
    expect(keySearchMatch("0af")?.idRange).toEqual({ from: "0af", to: "0b" });
    expect(keySearchMatch("fff")?.idRange).toEqual({ from: "fff", to: null });
    expect(keySearchMatch("c".repeat(24))?.idRange?.from).toBe("c".repeat(24));
    expect(keySearchMatch("c".repeat(25))?.idRange).toBeNull();
    expect(keySearchMatch("beg")?.idRange).toBeNull();
  });

  it("matches inside names from three characters and from their start below that", () => {
    expect(keySearchMatch("Ab")?.mode).toBe("prefix");
    expect(keySearchMatch("Abc")?.mode).toBe("substring");
    expect(keySearchMatch("   ")).toBeUndefined();
  });
});

describe("searching text with wildcards and letters beyond ASCII", () => {
  it("takes the term literally and ignores the case of every letter", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const owner = await createUser(tenant.id, { developer: true }, { name: "Zoë Ärger" });
    const literal = await insertKey(tenant.id, owner.id, "Promo 50%_off feed");
    await insertKey(tenant.id, owner.id, "Promo 500 offers");
    const umlaut = await insertKey(tenant.id, owner.id, "Übersicht Export");
    const search = (term: string) =>
      searchTenantApiKeys(principalOf(admin), { search: term, limit: 100 });
    expect((await search("0%_o")).keys.map((key) => key.id)).toEqual([literal.id]);
    expect((await search("_")).keys).toEqual([]);
    expect((await search("%")).keys).toEqual([]);
    expect((await search("ÜBERSICHT")).keys.map((key) => key.id)).toEqual([umlaut.id]);
    expect((await search("ärger")).keys).toHaveLength(3);
    expect((await search("zo")).keys).toHaveLength(3);
  });
});

/**
 * More matching keys than either engine reads as candidates (2,000), so that these searches walk
 * the sort indexes, filter as they go and count from the indexes' draws.
 */
describe("searching more keys than fit in one read", () => {
  const KEYS = 3_000;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let oracle: {
    id: string;
    description: string;
    ownerName: string;
    createdAt: Date;
    status: string;
  }[];
  const now = Date.now();

  beforeAll(async () => {
    const tenant = await createTenant();
    admin = await createUser(tenant.id, { admin: true });
    const wanda = await createUser(tenant.id, { developer: true }, { name: "Wanda Walker" });
    const xavier = await createUser(tenant.id, { developer: true }, { name: "Xavier Young" });
    const rows = Array.from({ length: KEYS }, (_, i) => {
      const createdAt = new Date(now - (KEYS - i) * 60_000);
      return {
        id: generateApiKeyId(),
        tenantId: tenant.id,
        ownerId: i % 10 === 9 ? xavier.id : wanda.id,
        // Runs of equal names, so that pages break inside them.
        description: i % 50 === 0 ? `Zebra sync ${i}` : `batch job ${Math.floor(i / 40)}`,
        digest: `digest-scale-${tenant.id}-${i}`,
        hint: "kw_…abcd",
        createdAt,
        expiresAt: new Date(createdAt.getTime() + (i % 7 === 0 ? -1 : 30) * DAY),
        revokedAt: i % 10 === 0 ? new Date(createdAt.getTime() + 1000) : null,
        lastUsedAt: i % 4 === 0 ? new Date(createdAt.getTime() + (i % 9) * 60_000) : null,
      };
    });
    await db.apiKey.createMany({ data: rows });
    oracle = rows.map((row) => ({
      id: row.id,
      description: row.description,
      ownerName: row.ownerId === wanda.id ? "Wanda Walker" : "Xavier Young",
      createdAt: row.createdAt,
      status: apiKeyStatus(row, new Date()),
    }));
  });

  const search = (query: Record<string, unknown>) => searchTenantApiKeys(principalOf(admin), query);
  const newestFirst = (keys: typeof oracle) =>
    [...keys].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map((key) => key.id);

  /** Every page forwards, then back from the last page to the first. */
  async function walk(query: Record<string, unknown>) {
    const forwards: string[][] = [];
    let page = await search({ ...query, limit: 100 });
    forwards.push(page.keys.map((key) => key.id));
    while (page.nextCursor && forwards.length < 40) {
      page = await search({ ...query, limit: 100, after: page.nextCursor });
      forwards.push(page.keys.map((key) => key.id));
    }
    const backwards: string[][] = [page.keys.map((key) => key.id)];
    while (page.previousCursor && backwards.length < 40) {
      page = await search({ ...query, limit: 100, before: page.previousCursor });
      backwards.unshift(page.keys.map((key) => key.id));
    }
    return { forwards, backwards };
  }

  it("finds an owner's keys newest first, counts them up to the cap, and pages through all", async () => {
    const wandas = oracle.filter((key) => key.ownerName === "Wanda Walker");
    const first = await search({ search: "walker" });
    expect(first.keys.map((key) => key.id)).toEqual(newestFirst(wandas).slice(0, 25));
    expect(first).toMatchObject({ total: ADMIN_KEY_COUNT_CAP, totalCapped: true });
    const { forwards, backwards } = await walk({ search: "walker" });
    expect(forwards.flat()).toEqual(newestFirst(wandas));
    expect(backwards).toEqual(forwards);
  });

  it("matches owners from the start of a one-letter term, and IDs by prefix", async () => {
    const page = await search({ search: "x", limit: 100 });
    const xaviers = oracle.filter((key) => key.ownerName === "Xavier Young");
    expect(page.keys.map((key) => key.id)).toEqual(newestFirst(xaviers).slice(0, 100));
    const byId = await search({ search: "a", limit: 100 });
    const prefixed = oracle.filter((key) => key.id.startsWith("a"));
    expect(byId.keys.map((key) => key.id)).toEqual(newestFirst(prefixed).slice(0, 100));
  });

  it.each(["revoked", "expired", "active"])(
    "combines a broad term with the status %s",
    async (status) => {
      const matching = oracle.filter(
        (key) => key.status === status && key.description.startsWith("batch"),
      );
      const { forwards } = await walk({ search: "batch", status });
      expect(forwards.flat()).toEqual(newestFirst(matching));
      const first = await search({ search: "batch", status });
      // A count that stopped early is a floor, never more than really match.
      if (first.totalCapped) expect(first.total).toBeLessThanOrEqual(matching.length);
      else expect(first.total).toBe(matching.length);
    },
  );

  it.each([
    "name",
    "-name",
    "owner",
    "-owner",
    "lastUsed",
    "-lastUsed",
    "expires",
    "status",
    "-status",
  ])("walks a broad term's keys once each, forwards and back, sorted by %s", async (sort) => {
    const { forwards, backwards } = await walk({ search: "walker", sort });
    const ids = forwards.flat();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(oracle.filter((key) => key.ownerName === "Wanda Walker").length);
    expect(backwards).toEqual(forwards);
  });
});

/**
 * An owner whose keys lie in the middle of the name order, thousands of another owner's keys from
 * either end: a walk of the name order from an end meets none of them soon, so a page comes from
 * each matching owner's first keys in that order, with the keys whose ID starts with the term.
 */
describe("an owner whose keys lie far along the name order", () => {
  const EACH_END = 2_100;
  // More than the search reads as candidates (2,000), even of one status.
  const MIDDLE = 2_800;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let oracle: { id: string; description: string; ownerId: string; status: string }[];
  let adaId: string;

  beforeAll(async () => {
    const tenant = await createTenant();
    admin = await createUser(tenant.id, { admin: true });
    const bob = await createUser(tenant.id, { developer: true }, { name: "Bob Many" });
    const ada = await createUser(
      tenant.id,
      { developer: true },
      { name: "Ada Middle", email: `ada-${tenant.id}@example.test` },
    );
    adaId = ada.id;
    const now = Date.now();
    const rows = Array.from({ length: 2 * EACH_END + MIDDLE }, (_, i) => {
      const middle = i >= 2 * EACH_END;
      const createdAt = new Date(now - (i + 1) * 60_000);
      return {
        id: generateApiKeyId(),
        tenantId: tenant.id,
        ownerId: middle ? ada.id : bob.id,
        // Runs of equal names among Ada's keys, so that pages break inside them.
        description: middle ? `mike ${Math.floor(i / 3)}` : `${i % 2 ? "zulu" : "alpha"} ${i}`,
        digest: `digest-middle-${tenant.id}-${i}`,
        hint: "kw_…abcd",
        createdAt,
        expiresAt: new Date(createdAt.getTime() + (i % 4 === 0 ? -1 : 30) * DAY),
        revokedAt: null,
        lastUsedAt: null,
      };
    });
    // In ID order, so that SQLite's tie-breaker (the row ID) runs as PostgreSQL's (the key ID).
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    await db.apiKey.createMany({ data: rows });
    const at = new Date();
    oracle = rows.map((row) => ({ ...row, status: apiKeyStatus(row, at) }));
  }, 60_000);

  const search = (query: Record<string, unknown>) => searchTenantApiKeys(principalOf(admin), query);

  it.each([
    ["name", undefined],
    ["-name", undefined],
    ["name", "active"],
    ["-name", "active"],
  ] as const)("sorted by %s with the status %s, every page in order", async (sort, status) => {
    // "ad" matches Ada's name and email from their start, and the IDs starting with it.
    const matching = oracle
      .filter((key) => key.ownerId === adaId || key.id.startsWith("ad"))
      .filter((key) => !status || key.status === status)
      .sort((a, b) =>
        a.description === b.description
          ? a.id < b.id
            ? -1
            : 1
          : a.description < b.description
            ? -1
            : 1,
      )
      .map((key) => key.id);
    const expected = sort === "name" ? matching : matching.reverse();
    const forwards: string[][] = [];
    let page = await search({ search: "ad", sort, status, limit: 100 });
    forwards.push(page.keys.map((key) => key.id));
    while (page.nextCursor && forwards.length < 40) {
      page = await search({ search: "ad", sort, status, limit: 100, after: page.nextCursor });
      forwards.push(page.keys.map((key) => key.id));
    }
    expect(forwards.flat()).toEqual(expected);
    const backwards: string[][] = [page.keys.map((key) => key.id)];
    while (page.previousCursor && backwards.length < 40) {
      page = await search({ search: "ad", sort, status, limit: 100, before: page.previousCursor });
      backwards.unshift(page.keys.map((key) => key.id));
    }
    expect(backwards).toEqual(forwards);
  });
});

/**
 * A name that most of a tenant's keys have, and a sort that puts most of the other keys first: the
 * walk first reads keys for their names, a bounded number, then draws the named keys from the index
 * (PostgreSQL's trigram planner counts the name as broad past 20,000 keys, hence this many).
 */
describe("a name most keys have, sorted where they come last", () => {
  const BROAD = 24_000;
  const OTHERS = 4_000;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let tenantId: string;

  beforeAll(async () => {
    const tenant = await createTenant();
    tenantId = tenant.id;
    admin = await createUser(tenant.id, { admin: true, developer: true });
    const now = Date.now();
    const rows = Array.from({ length: BROAD + OTHERS }, (_, i) => {
      const broad = i < BROAD;
      const createdAt = new Date(now - (i + 1) * 1000);
      return {
        id: generateApiKeyId(),
        tenantId,
        ownerId: admin.id,
        description: broad ? `Broad sync ${i}` : `Other ${i}`,
        digest: `digest-broad-${tenant.id}-${i}`,
        hint: "kw_…abcd",
        createdAt,
        expiresAt: new Date(now + (i % 5 === 0 ? -1 : 30) * DAY),
        revokedAt: null,
        // The other keys were used, and one broad key in 500 at times among theirs: a walk
        // finds a few broad keys among its first keys and the rest further on.
        lastUsedAt: !broad
          ? new Date(now - i * 1000)
          : i % 500 === 0
            ? new Date(now - (BROAD + (i % OTHERS)) * 1000)
            : null,
      };
    });
    // In ID order, so that SQLite's tie-breaker (the row ID) runs as PostgreSQL's (the key ID).
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 0; i < rows.length; i += 4000) {
      await db.apiKey.createMany({ data: rows.slice(i, i + 4000) });
    }
    await db.$executeRawUnsafe(`ANALYZE "ApiKey"`);
  }, 120_000);

  const search = (query: Record<string, unknown>) => searchTenantApiKeys(principalOf(admin), query);

  it.each([
    ["-lastUsed", undefined],
    ["-lastUsed", "expired"],
    ["lastUsed", "active"],
  ] as const)("sorted by %s with the status %s, two pages in order", async (sort, status) => {
    const now = new Date();
    // Never used first, then by last use, ties by key ID; all of it backwards for -lastUsed.
    const ascending = (
      await db.apiKey.findMany({ where: { tenantId, description: { startsWith: "Broad" } } })
    )
      .filter((key) => !status || apiKeyStatus(key, now) === status)
      .sort(
        (a, b) =>
          (a.lastUsedAt?.getTime() ?? -Infinity) - (b.lastUsedAt?.getTime() ?? -Infinity) ||
          (a.id < b.id ? -1 : 1),
      )
      .map((key) => key.id);
    const expected = sort === "lastUsed" ? ascending : ascending.reverse();
    const first = await search({ search: "broad sync", sort, status, limit: 100 });
    const second = await search({
      search: "broad sync",
      sort,
      status,
      limit: 100,
      after: first.nextCursor,
    });
    const found = [...first.keys, ...second.keys].map((key) => key.id);
    expect(found).toEqual(expected.slice(0, 200));
    expect(first.total).toBeLessThanOrEqual(expected.length);
  });
});

describe("a count that stops early", () => {
  it("is never below the keys the page shows", async () => {
    const tenant = await createTenant();
    const admin = await createUser(tenant.id, { admin: true });
    const now = Date.now();
    // The first keys written with the name are revoked, so that what the name index gives first
    // holds none of the active ones; active keys are too many to read as candidates.
    const rows = Array.from({ length: 4_500 }, (_, i) => ({
      id: generateApiKeyId(),
      tenantId: tenant.id,
      ownerId: admin.id,
      description: `Lumen task ${i}`,
      digest: `digest-floor-${tenant.id}-${i}`,
      hint: "kw_…abcd",
      createdAt: new Date(now - (4_500 - i) * 1000),
      expiresAt: new Date(now + 30 * DAY),
      revokedAt: i < 2_100 ? new Date(now - 1000) : null,
      lastUsedAt: null,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await db.apiKey.createMany({ data: rows.slice(i, i + 500) });
    }
    const page = await searchTenantApiKeys(principalOf(admin), {
      search: "lumen",
      status: "active",
    });
    expect(page.keys).toHaveLength(25);
    expect(page.total).toBeGreaterThanOrEqual(26);
    expect(page.total).toBeLessThanOrEqual(ADMIN_KEY_COUNT_CAP);
  });
});

/**
 * A name whose keys lie together, thousands of other keys from either end of the name order and of
 * the owner order: the walk keeps to the stretch where the name lies (the name ranges, migration
 * `admin_key_search_name_ranges`), which renames of keys and of their owners widen.
 */
describe("a name whose keys lie together far along the order", () => {
  const EACH_END = 2_100;
  // More than the search draws from the name index (2,001), so that it walks.
  const NAMED = 2_200;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let tenantId: string;

  beforeAll(async () => {
    const tenant = await createTenant();
    tenantId = tenant.id;
    admin = await createUser(tenant.id, { admin: true }, { name: "Admin Keyward" });
    const front = await createUser(tenant.id, { developer: true }, { name: "Aaron Front" });
    const middle = await createUser(tenant.id, { developer: true }, { name: "Mia Middle" });
    const back = await createUser(tenant.id, { developer: true }, { name: "Zed Back" });
    const now = Date.now();
    const rows = Array.from({ length: 2 * EACH_END + NAMED }, (_, i) => {
      const named = i >= 2 * EACH_END;
      const createdAt = new Date(now - (i + 1) * 60_000);
      return {
        id: generateApiKeyId(),
        tenantId,
        ownerId: named ? middle.id : i % 2 ? back.id : front.id,
        description: named ? `ledger sync ${i}` : `${i % 2 ? "zulu" : "alpha"} ${i}`,
        digest: `digest-together-${tenantId}-${i}`,
        hint: "kw_…abcd",
        createdAt,
        expiresAt: new Date(createdAt.getTime() + (i % 4 === 0 ? -1 : 30) * DAY),
        revokedAt: null,
        lastUsedAt: null,
      };
    });
    // In ID order, so that SQLite's tie-breaker (the row ID) runs as PostgreSQL's (the key ID).
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 0; i < rows.length; i += 2000) {
      await db.apiKey.createMany({ data: rows.slice(i, i + 2000) });
    }
    // Renamed keys now lie before every other key, and after: the name's range widens to them.
    const first = rows.find((row) => row.description.startsWith("alpha"))!;
    const last = rows.find((row) => row.description.startsWith("zulu"))!;
    await db.apiKey.update({ where: { id: first.id }, data: { description: "aardvark ledger" } });
    await db.apiKey.update({ where: { id: last.id }, data: { description: "zzz ledger" } });
    // A key whose owner is then renamed to come after every other owner.
    const kim = await createUser(tenant.id, { developer: true }, { name: "Kim Kept" });
    await insertKey(tenantId, kim.id, "ledger of Kim");
    await db.user.update({ where: { id: kim.id }, data: { name: "Zoe Renamed" } });
  }, 120_000);

  const search = (query: Record<string, unknown>) => searchTenantApiKeys(principalOf(admin), query);

  it.each([
    ["name", undefined],
    ["-name", undefined],
    ["owner", "expired"],
    ["-owner", undefined],
    ["-owner", "active"],
  ] as const)("sorted by %s with the status %s, every page in order", async (sort, status) => {
    const now = new Date();
    const field = sort.replace("-", "");
    const matching = (
      await db.apiKey.findMany({
        where: { tenantId, description: { contains: "ledger" } },
        include: { owner: true },
        orderBy: { createdAt: "asc" },
      })
    ).filter((key) => !status || apiKeyStatus(key, now) === status);
    const value = (key: (typeof matching)[number]) =>
      field === "name" ? key.description : key.owner.name;
    // Names are unique; an owner's keys follow one another in key ID order.
    const ascending = matching
      .sort((a, b) =>
        value(a) === value(b) ? (a.id < b.id ? -1 : 1) : value(a) < value(b) ? -1 : 1,
      )
      .map((key) => key.id);
    const expected = sort.startsWith("-") ? ascending.reverse() : ascending;
    const found = await everyPage((after) =>
      search({ search: "ledger", sort, status, limit: 100, after }),
    );
    expect(found).toEqual(expected);
  });
});

/**
 * A name whose used keys were used before any other key and whose never used keys come after
 * other never used ones: in last-use order, both ends of the walk first pass thousands of other
 * keys, and pages cross from the used keys to the never used and back.
 */
describe("a name whose keys lie past others among the used and the never used", () => {
  const OTHERS = 2_500;
  const NEVER_USED = 1_100;
  const USED = 1_000;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let oracle: { id: string; lastUsedAt: Date | null; target: boolean }[];

  beforeAll(async () => {
    const tenant = await createTenant();
    admin = await createUser(tenant.id, { admin: true, developer: true });
    const now = Date.now();
    // In ID order, so that SQLite's tie-breaker (the row ID) runs as PostgreSQL's (the key ID):
    // other never used keys, the name's never used keys, other used keys, the name's used keys.
    const ids = Array.from({ length: 2 * OTHERS + NEVER_USED + USED }, generateApiKeyId).sort();
    const rows = ids.map((id, i) => {
      const target = (i >= OTHERS && i < OTHERS + NEVER_USED) || i >= 2 * OTHERS + NEVER_USED;
      const used = i >= OTHERS + NEVER_USED;
      return {
        id,
        tenantId: tenant.id,
        ownerId: admin.id,
        description: target ? `Quarry feed ${i}` : `Other ${i}`,
        digest: `digest-stretches-${tenant.id}-${i}`,
        hint: "kw_…abcd",
        createdAt: new Date(now - DAY),
        expiresAt: new Date(now + 30 * DAY),
        revokedAt: null,
        // The name's keys were used before every other key.
        lastUsedAt: !used ? null : new Date(now - (target ? 2 * DAY : DAY) + i * 1000),
      };
    });
    for (let i = 0; i < rows.length; i += 2000) {
      await db.apiKey.createMany({ data: rows.slice(i, i + 2000) });
    }
    oracle = rows.map((row) => ({
      id: row.id,
      lastUsedAt: row.lastUsedAt,
      target: row.description.startsWith("Quarry"),
    }));
  }, 120_000);

  it.each(["lastUsed", "-lastUsed"])("sorted by %s, every page in order", async (sort) => {
    const ascending = oracle
      .filter((key) => key.target)
      .sort(
        (a, b) =>
          (a.lastUsedAt?.getTime() ?? -Infinity) - (b.lastUsedAt?.getTime() ?? -Infinity) ||
          (a.id < b.id ? -1 : 1),
      )
      .map((key) => key.id);
    const expected = sort === "lastUsed" ? ascending : ascending.reverse();
    const found = await everyPage((after) =>
      searchTenantApiKeys(principalOf(admin), { search: "quarry", sort, limit: 100, after }),
    );
    expect(found).toEqual(expected);
  });
});
