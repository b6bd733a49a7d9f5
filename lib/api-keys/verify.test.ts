import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { withRawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { createApiKey, deleteApiKey, revokeApiKeys } from "./service";
import { generateApiKeyToken } from "./token";
import { recordRefusedKey, verifyApiKeyToken } from "./verify";

async function keyOfNewDeveloper() {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, { developer: true });
  const principal = principalOf(user);
  const { key, token } = await createApiKey(principal, { description: "verified key" });
  return { tenant, user, principal, key, token };
}

async function reasonFor(token: string) {
  const result = await verifyApiKeyToken(token);
  return result.ok ? "ok" : result.reason;
}

describe("verifyApiKeyToken", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("accepts a valid token as its owner, with the owner's roles", async () => {
    const { user, key, token } = await keyOfNewDeveloper();
    const result = await verifyApiKeyToken(token, { ip: "10.0.0.1", userAgent: "curl/8" });
    expect(result).toEqual({
      ok: true,
      principal: {
        userId: user.id,
        tenantId: user.tenantId,
        roles: ["Developer"],
        via: "apiKey",
        apiKeyId: key.id,
        ip: "10.0.0.1",
        userAgent: "curl/8",
        user: expect.objectContaining({ id: user.id, email: user.email, disabledAt: null }),
      },
    });
  });

  it("refuses malformed tokens and a mistyped one without finding a key", async () => {
    const { token } = await keyOfNewDeveloper();
    const last = token.at(-1) === "a" ? "b" : "a";
    for (const bad of ["", "Bearer", "kw_", token.slice(0, -1), `${token.slice(0, -1)}${last}`]) {
      expect(await reasonFor(bad)).toBe("malformed");
    }
    const mistyped = `${token.slice(0, 10)}${token[10] === "x" ? "y" : "x"}${token.slice(11)}`;
    expect(await reasonFor(mistyped)).toBe("malformed");
  });

  it("refuses a well-formed token that was never issued", async () => {
    expect(await reasonFor(generateApiKeyToken())).toBe("unknown");
  });

  it("refuses a revoked key on the very next call", async () => {
    const { tenant, key, token } = await keyOfNewDeveloper();
    const admin = principalOf(await createUser(tenant.id, { admin: true }));
    expect(await reasonFor(token)).toBe("ok");
    await revokeApiKeys(admin, [key.id]);
    expect(await reasonFor(token)).toBe("revoked");
  });

  it("refuses a key of which another instance recorded the revocation, on the very next call", async () => {
    const { key, token } = await keyOfNewDeveloper();
    // Twice, so that the second answer comes from a kept row where the engine keeps rows.
    expect(await reasonFor(token)).toBe("ok");
    expect(await reasonFor(token)).toBe("ok");
    // Another instance, with its own connection to the same database.
    await withRawDatabase((otherInstance) =>
      otherInstance.run(`UPDATE "ApiKey" SET "revokedAt" = ? WHERE "id" = ?`, new Date(), key.id),
    );
    expect(await reasonFor(token)).toBe("revoked");
  });

  it("refuses a key the moment it expires, with no write in between", async () => {
    const { key, token } = await keyOfNewDeveloper();
    const { expiresAt } = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(await reasonFor(token)).toBe("ok");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt.getTime() - 1);
    expect(await reasonFor(token)).toBe("ok");
    vi.setSystemTime(expiresAt);
    expect(await reasonFor(token)).toBe("expired");
  });

  it("refuses an expired key", async () => {
    const { key, token } = await keyOfNewDeveloper();
    await db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date() } });
    expect(await reasonFor(token)).toBe("expired");
  });

  it("refuses a deleted key on the very next call", async () => {
    const { principal, key, token } = await keyOfNewDeveloper();
    expect(await reasonFor(token)).toBe("ok");
    await deleteApiKey(principal, key.id);
    expect(await reasonFor(token)).toBe("unknown");
  });

  it("refuses while the owner is disabled, and works again once enabled", async () => {
    const { user, token } = await keyOfNewDeveloper();
    expect(await reasonFor(token)).toBe("ok");
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await reasonFor(token)).toBe("owner-disabled");
    await db.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    expect(await reasonFor(token)).toBe("ok");
  });

  it("refuses while the owner lacks Developer, and works again once it is back", async () => {
    const { user, token } = await keyOfNewDeveloper();
    expect(await reasonFor(token)).toBe("ok");
    await db.user.update({ where: { id: user.id }, data: { isDeveloper: false } });
    expect(await reasonFor(token)).toBe("owner-not-developer");
    await db.user.update({ where: { id: user.id }, data: { isDeveloper: true } });
    expect(await reasonFor(token)).toBe("ok");
  });

  it("refuses while the tenant has API keys switched off, and works again once on", async () => {
    const { tenant, token } = await keyOfNewDeveloper();
    expect(await reasonFor(token)).toBe("ok");
    await db.tenant.update({ where: { id: tenant.id }, data: { apiKeysEnabled: false } });
    expect(await reasonFor(token)).toBe("keys-disabled");
    await db.tenant.update({ where: { id: tenant.id }, data: { apiKeysEnabled: true } });
    expect(await reasonFor(token)).toBe("ok");
  });

  it("records a refused known key as validation.failed, without the token", async () => {
    const { tenant, user, key, token } = await keyOfNewDeveloper();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const result = await verifyApiKeyToken(token);
    if (result.ok) throw new Error("expected a refusal");
    await recordRefusedKey(result, { ip: "10.0.0.2", userAgent: "curl/8" });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { tenantId: tenant.id, eventType: "api-key.validation.failed" },
    });
    expect(event).toMatchObject({ apiKeyId: key.id, userId: user.id, ip: "10.0.0.2" });
    expect(JSON.parse(event.data)).toEqual({ reason: "owner-disabled" });
    expect(JSON.stringify(event)).not.toContain(token);
  });
});
