import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Forbidden, Invalid, LimitReached, NotFound } from "@/lib/errors";
import { failAuditInsertsFor, withRawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { getKeyQuota } from "./quota";
import {
  createApiKey,
  deleteAllApiKeys,
  deleteApiKey,
  deleteOrRevokeApiKey,
  getApiKey,
  listOwnApiKeys,
  renameApiKey,
  revokeApiKeys,
} from "./service";

const DAY_MS = 24 * 60 * 60 * 1000;

type TenantSettings = Parameters<typeof createTenant>[0];

async function developerIn(settings: TenantSettings = {}) {
  const tenant = await createTenant(settings);
  const user = await createUser(tenant.id, { developer: true });
  return { tenant, user, principal: principalOf(user) };
}

async function eventsOf(tenantId: string) {
  return db.auditEvent.findMany({ where: { tenantId }, orderBy: { seq: "asc" } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to be refused");
}

const repairs: (() => Promise<void>)[] = [];
// PostgreSQL's driver adapter passes the trigger's message on; SQLite's reports its abort as a
// constraint violation.
const AUDIT_DOWN = /AuditEvent unavailable|constraint/i;

/** Makes every audit write of one tenant fail in the database itself, as a full disk would. */
async function breakAuditLogOf(tenantId: string): Promise<void> {
  repairs.push(await failAuditInsertsFor(tenantId));
}

afterEach(async () => {
  for (const repair of repairs.splice(0)) await repair();
});

describe("the active-key limit", () => {
  it("holds under 50 concurrent creates against a limit of 5", async () => {
    const { user, principal } = await developerIn({ maxKeysPerUser: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => createApiKey(principal, { description: `key ${i}` })),
    );
    const created = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(created).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const result of refused) {
      expect(result.reason).toBeInstanceOf(LimitReached);
      expect(result.reason.message).toBe(
        "You have reached the limit of 5 active API keys. Delete or wait for one to expire before generating another.",
      );
    }
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(5);
    const events = await eventsOf(user.tenantId);
    expect(events.filter((event) => event.eventType === "api-key.created")).toHaveLength(5);
  });

  it("counts only active keys: revoked and expired ones leave room", async () => {
    const tenant = await createTenant({ maxKeysPerUser: 2 });
    const admin = await createUser(tenant.id, { admin: true });
    const user = await createUser(tenant.id, { developer: true });
    const principal = principalOf(user);
    const first = await createApiKey(principal, { description: "to revoke" });
    const second = await createApiKey(principal, { description: "to expire" });
    await expect(createApiKey(principal, { description: "third" })).rejects.toBeInstanceOf(
      LimitReached,
    );

    await revokeApiKeys(principalOf(admin), [first.key.id]);
    await db.apiKey.update({
      where: { id: second.key.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await getKeyQuota(principal)).activeCount).toBe(0);

    await createApiKey(principal, { description: "third" });
    await createApiKey(principal, { description: "fourth" });
    await expect(createApiKey(principal, { description: "fifth" })).rejects.toBeInstanceOf(
      LimitReached,
    );
    expect(await getKeyQuota(principal)).toEqual({
      enabled: true,
      isDeveloper: true,
      maxExpiry: "P90D",
      maxKeysPerUser: 2,
      activeCount: 2,
    });
  });

  it("is per user: one developer's keys do not use up another's", async () => {
    const { tenant, principal } = await developerIn({ maxKeysPerUser: 1 });
    const other = principalOf(await createUser(tenant.id, { developer: true }));
    await createApiKey(principal, { description: "mine" });
    await expect(createApiKey(other, { description: "theirs" })).resolves.toBeDefined();
  });

  it("of 0 lets nobody generate, with a clear message", async () => {
    const { principal } = await developerIn({ maxKeysPerUser: 0 });
    const error = await rejection(createApiKey(principal, { description: "none allowed" }));
    expect(error).toBeInstanceOf(LimitReached);
    expect((error as Error).message).toBe("This tenant allows no active API keys per user.");
  });
});

describe("expiry", () => {
  it("defaults to the tenant's maximum", async () => {
    const { principal } = await developerIn({ maxApiKeyExpiry: "P90D" });
    const { key } = await createApiKey(principal, { description: "default expiry" });
    expect(Date.parse(key.expiry) - Date.parse(key.created)).toBe(90 * DAY_MS);
  });

  it("takes a shorter duration as asked", async () => {
    const { principal } = await developerIn({ maxApiKeyExpiry: "P90D" });
    const { key } = await createApiKey(principal, { description: "a week", expiry: "P7D" });
    expect(Date.parse(key.expiry) - Date.parse(key.created)).toBe(7 * DAY_MS);
    const hours = await createApiKey(principal, { description: "twelve hours", expiry: "PT12H" });
    expect(Date.parse(hours.key.expiry) - Date.parse(hours.key.created)).toBe(12 * 3_600_000);
  });

  it("refuses more than the tenant's maximum, and nonsense, without creating anything", async () => {
    const { user, principal } = await developerIn({ maxApiKeyExpiry: "P90D" });
    const tooLong = await rejection(createApiKey(principal, { description: "x", expiry: "P91D" }));
    expect(tooLong).toBeInstanceOf(Invalid);
    expect(tooLong).toMatchObject({
      field: "expiry",
      message: "Expiry can be at most 90 days for this tenant.",
    });
    const nonsense = await rejection(createApiKey(principal, { description: "x", expiry: "90" }));
    expect(nonsense).toMatchObject({ code: "INVALID", field: "expiry" });
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
    expect(await eventsOf(user.tenantId)).toHaveLength(0);
  });

  it("accepts exactly the maximum, however it is written", async () => {
    const { principal } = await developerIn({ maxApiKeyExpiry: "P1Y" });
    await expect(
      createApiKey(principal, { description: "a year", expiry: "P12M" }),
    ).resolves.toBeDefined();
  });
});

describe("who may generate", () => {
  it("refuses a user without the Developer role, even with bad input", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { admin: true });
    for (const input of [{ description: "admin only" }, { description: "" }]) {
      const error = await rejection(createApiKey(principalOf(user), input));
      expect(error).toBeInstanceOf(Forbidden);
      expect((error as Error).message).toMatch(/Developer role/);
    }
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
  });

  it("refuses a developer of a tenant with API keys disabled", async () => {
    const { user, principal } = await developerIn({ apiKeysEnabled: false });
    const error = await rejection(createApiKey(principal, { description: "off" }));
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Error).message).toMatch(/API keys are disabled for this tenant/);
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
    expect(await getKeyQuota(principal)).toMatchObject({ enabled: false, activeCount: 0 });
  });

  it("validates the description: required, at most 256 characters", async () => {
    const { user, principal } = await developerIn();
    for (const description of ["", "   ", "x".repeat(257), undefined, 42]) {
      const error = await rejection(createApiKey(principal, { description }));
      expect(error).toBeInstanceOf(Invalid);
      expect(error).toMatchObject({ field: "description" });
    }
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
    const { key } = await createApiKey(principal, { description: `  ${"y".repeat(256)}  ` });
    expect(key.description).toBe("y".repeat(256));
  });

  it("refuses a description that is not valid Unicode or holds control or bidi characters", async () => {
    const { user, principal, tenant } = await developerIn();
    const { key } = await createApiKey(principal, { description: "kept" });
    const before = await eventsOf(tenant.id);
    for (const description of ["x\ud800y", "abc\u202egnp.exe", "nul\u0000"]) {
      const created = await rejection(createApiKey(principal, { description }));
      expect(created).toBeInstanceOf(Invalid);
      expect(created).toMatchObject({ field: "description" });
      const renamed = await rejection(renameApiKey(principal, key.id, description));
      expect(renamed).toBeInstanceOf(Invalid);
    }
    expect(await db.apiKey.findMany({ where: { ownerId: user.id } })).toMatchObject([
      { description: "kept" },
    ]);
    expect(await eventsOf(tenant.id)).toEqual(before);
    const { key: composed } = await createApiKey(principal, { description: "Cafe\u0301" });
    expect(composed.description).toBe("Caf\u00e9");
  });
});

describe("own keys only", () => {
  it("a user cannot rename or delete another user's key of the same tenant", async () => {
    const { tenant, principal: owner } = await developerIn();
    const { key } = await createApiKey(owner, { description: "owner's key" });
    const colleague = principalOf(await createUser(tenant.id, { developer: true }));
    const admin = principalOf(await createUser(tenant.id, { admin: true, developer: true }));
    const before = await eventsOf(tenant.id);

    for (const intruder of [colleague, admin]) {
      await expect(renameApiKey(intruder, key.id, "taken over")).rejects.toBeInstanceOf(NotFound);
      await expect(deleteApiKey(intruder, key.id)).rejects.toBeInstanceOf(NotFound);
      expect(await deleteAllApiKeys(intruder)).toBe(0);
    }
    await expect(getApiKey(colleague, key.id)).rejects.toBeInstanceOf(NotFound);
    await expect(deleteOrRevokeApiKey(colleague, key.id)).rejects.toBeInstanceOf(NotFound);
    expect(await listOwnApiKeys(colleague)).toEqual([]);

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ description: "owner's key", revokedAt: null });
    expect(await eventsOf(tenant.id)).toEqual(before);
  });

  it("nothing of another tenant can be seen or changed, even by its admins", async () => {
    const { principal: owner, tenant } = await developerIn();
    const { key } = await createApiKey(owner, { description: "tenant A's key" });
    const otherTenant = await createTenant();
    const outsider = principalOf(
      await createUser(otherTenant.id, { admin: true, developer: true }),
    );
    // Even a principal that claims the owner's user ID under another tenant finds nothing.
    const forged = { ...owner, tenantId: otherTenant.id };

    for (const intruder of [outsider, forged]) {
      await expect(renameApiKey(intruder, key.id, "hijacked")).rejects.toBeInstanceOf(NotFound);
      await expect(deleteApiKey(intruder, key.id)).rejects.toBeInstanceOf(NotFound);
      await expect(getApiKey(intruder, key.id)).rejects.toBeInstanceOf(NotFound);
      await expect(deleteOrRevokeApiKey(intruder, key.id)).rejects.toBeInstanceOf(NotFound);
      await expect(revokeApiKeys(intruder, [key.id])).rejects.toMatchObject({
        code: intruder === forged ? "FORBIDDEN" : "NOT_FOUND",
      });
      expect(await deleteAllApiKeys(intruder)).toBe(0);
      expect(await listOwnApiKeys(intruder)).toEqual([]);
    }
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ description: "tenant A's key", revokedAt: null });
    expect(await eventsOf(otherTenant.id)).toHaveLength(0);
    expect(await eventsOf(tenant.id)).toHaveLength(1);
  });

  it("refuses malformed key IDs as invalid input, not as a server error", async () => {
    const { principal } = await developerIn();
    await expect(renameApiKey(principal, "../../etc", "x")).rejects.toMatchObject({
      code: "INVALID",
      field: "id",
    });
    await expect(deleteApiKey(principal, 12)).rejects.toBeInstanceOf(Invalid);
  });
});

describe("rename and delete", () => {
  it("renames the owner's key, validating the new description", async () => {
    const { principal } = await developerIn();
    const { key } = await createApiKey(principal, { description: "before" });
    for (const description of ["", "x".repeat(257)]) {
      await expect(renameApiKey(principal, key.id, description)).rejects.toMatchObject({
        code: "INVALID",
        field: "description",
      });
    }
    const renamed = await renameApiKey(principal, key.id, "  after  ");
    expect(renamed.description).toBe("after");
    const [view] = await listOwnApiKeys(principal);
    expect(view).toMatchObject({ id: key.id, description: "after", status: "active" });
  });

  it("deletes one key for good, and delete all removes every key the owner has", async () => {
    const { user, principal } = await developerIn();
    const keys = await Promise.all(
      ["one", "two", "three"].map((description) => createApiKey(principal, { description })),
    );
    await deleteApiKey(principal, keys[0].key.id);
    await expect(getApiKey(principal, keys[0].key.id)).rejects.toBeInstanceOf(NotFound);
    await expect(deleteApiKey(principal, keys[0].key.id)).rejects.toBeInstanceOf(NotFound);
    expect(await deleteAllApiKeys(principal)).toBe(2);
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
    expect(await deleteAllApiKeys(principal)).toBe(0);
  });
});

describe("events", () => {
  it("every change writes its event, and no event carries a token or digest", async () => {
    const { user, principal } = await developerIn();
    const first = await createApiKey(principal, { description: "first", expiry: "P7D" });
    await renameApiKey(principal, first.key.id, "first, renamed");
    const second = await createApiKey(principal, { description: "second" });
    const third = await createApiKey(principal, { description: "third" });
    await deleteApiKey(principal, first.key.id);
    await deleteAllApiKeys(principal);

    const events = await eventsOf(user.tenantId);
    const pairs = events.map((event) => [event.eventType, event.apiKeyId]);
    expect(pairs.slice(0, 5)).toEqual([
      ["api-key.created", first.key.id],
      ["api-key.updated", first.key.id],
      ["api-key.created", second.key.id],
      ["api-key.created", third.key.id],
      ["api-key.deleted", first.key.id],
    ]);
    // Delete all writes one event per key.
    expect(pairs.slice(5)).toHaveLength(2);
    expect(pairs.slice(5)).toEqual(
      expect.arrayContaining([
        ["api-key.deleted", second.key.id],
        ["api-key.deleted", third.key.id],
      ]),
    );
    expect(events.every((event) => event.userId === user.id && event.source === "console")).toBe(
      true,
    );
    expect(events.every((event) => event.ip === "127.0.0.1" && event.userAgent === "vitest")).toBe(
      true,
    );
    expect(JSON.parse(events[1].data)).toEqual({
      before: { description: "first" },
      after: { description: "first, renamed" },
    });
    expect(JSON.parse(events[0].data)).toMatchObject({
      description: "first",
      requestedExpiry: "P7D",
    });

    const secrets = [first, second, third].flatMap(({ token }) => [
      token,
      token.slice(3, 20),
      createHash("sha256").update(token).digest("hex"),
    ]);
    const everything = JSON.stringify(events);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it("a change whose event cannot be written is rolled back", async () => {
    const { user, principal } = await developerIn();
    const { key } = await createApiKey(principal, { description: "kept" });
    await createApiKey(principal, { description: "also kept" });
    await breakAuditLogOf(user.tenantId);

    await expect(createApiKey(principal, { description: "lost" })).rejects.toThrow(AUDIT_DOWN);
    await expect(renameApiKey(principal, key.id, "renamed")).rejects.toThrow(AUDIT_DOWN);
    await expect(deleteApiKey(principal, key.id)).rejects.toThrow(AUDIT_DOWN);
    await expect(deleteAllApiKeys(principal)).rejects.toThrow(AUDIT_DOWN);

    const keys = await db.apiKey.findMany({
      where: { ownerId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(keys.map((row) => row.description).sort()).toEqual(["also kept", "kept"]);
    expect(await eventsOf(user.tenantId)).toHaveLength(2);
  });
});

describe("the token", () => {
  it("is never stored: the database holds only its digest and a hint", async () => {
    const { principal } = await developerIn();
    const { key, token } = await createApiKey(principal, { description: "secret" });
    expect(token).toMatch(/^kw_[0-9A-Za-z]{38}$/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.digest).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row.hint).toBe(`kw_\u2026${token.slice(-4)}`);
    expect(JSON.stringify(key)).not.toContain(token);
    expect(JSON.stringify(await listOwnApiKeys(principal))).not.toContain(row.digest);

    // No column of any table holds the token, or any long piece of it.
    await withRawDatabase(async (raw) => {
      const tables = await raw.tables();
      expect(tables).toContain("ApiKey");
      for (const name of tables) {
        const rows = await raw.all(`SELECT * FROM "${name}"`);
        expect(JSON.stringify(rows)).not.toContain(token.slice(3, 20));
      }
    });
  });
});

describe("Delete all", () => {
  it("deletes every key of its owner however many they hold, with one event each", async () => {
    const { tenant, user, principal } = await developerIn();
    // Revoked and expired keys add up past any active-key limit: more than SQLite binds at once.
    const count = 1_050;
    await db.apiKey.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        id: `${user.id.slice(0, 12)}${String(i).padStart(12, "0")}`,
        tenantId: tenant.id,
        ownerId: user.id,
        description: `old key ${i}`,
        digest: `digest-${user.id}-${i}`,
        hint: "kw_…",
        expiresAt: new Date(Date.now() - DAY_MS),
      })),
    });
    expect(await deleteAllApiKeys(principal)).toBe(count);
    expect(await db.apiKey.count({ where: { ownerId: user.id } })).toBe(0);
    const events = await eventsOf(tenant.id);
    expect(events.filter((event) => event.eventType === "api-key.deleted")).toHaveLength(count);
    // One event per key, each on the chain: a thousand round trips on PostgreSQL.
  }, 120_000);
});
