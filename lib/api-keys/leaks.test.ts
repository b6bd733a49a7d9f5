import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Forbidden, Invalid } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { revokeLeakedTokens, reportLeakedTokensAsAdmin } from "./leaks";
import { createApiKey } from "./service";
import { generateApiKeyToken } from "./token";

async function keyIn(tenantId: string) {
  const user = await createUser(tenantId, { developer: true });
  return createApiKey(principalOf(user), { description: "leaky" });
}

/** The same token with its last checksum character changed: no longer well-formed. */
function mistyped(token: string): string {
  return token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
}

describe("revokeLeakedTokens", () => {
  it("revokes exactly the keys of valid tokens, across tenants, with api-key.leaked by Keyward", async () => {
    const [one, two] = [await createTenant(), await createTenant()];
    const keys = [await keyIn(one.id), await keyIn(one.id), await keyIn(two.id)];
    const spared = await keyIn(two.id);
    const tokens = [
      ...keys.map((key) => key.token),
      mistyped(spared.token),
      mistyped(generateApiKeyToken()),
      generateApiKeyToken(),
    ];
    const result = await revokeLeakedTokens({ tokens }, { ip: "198.51.100.7" });
    expect(result.received).toBe(6);
    expect(result.keys.map((key) => key.id).sort()).toEqual(keys.map((k) => k.key.id).sort());
    const revoked = await db.apiKey.findMany({
      where: { tenantId: { in: [one.id, two.id] }, revokedAt: { not: null } },
    });
    expect(revoked.map((key) => key.id).sort()).toEqual(keys.map((k) => k.key.id).sort());
    const events = await db.auditEvent.findMany({
      where: { tenantId: { in: [one.id, two.id] }, eventType: "api-key.leaked" },
    });
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.userId === null && e.source === "system")).toBe(true);
    expect(events.every((e) => e.ip === "198.51.100.7")).toBe(true);

    // Reported again: nothing more happens.
    const again = await revokeLeakedTokens({ tokens }, {});
    expect(again.keys.every((key) => !key.revokedNow)).toBe(true);
    expect(
      await db.auditEvent.count({
        where: { tenantId: { in: [one.id, two.id] }, eventType: "api-key.leaked" },
      }),
    ).toBe(3);
  });

  it("refuses what is not a list of 1 to 1,000 strings", async () => {
    for (const input of [{}, { tokens: [] }, { tokens: [7] }, { tokens: Array(1001).fill("x") }]) {
      await expect(revokeLeakedTokens(input, {})).rejects.toBeInstanceOf(Invalid);
    }
  });
});

describe("reportLeakedTokensAsAdmin", () => {
  it("finds tokens in text and shows the admin their own tenant's keys only", async () => {
    const [mine, theirs] = [await createTenant(), await createTenant()];
    const admin = principalOf(await createUser(mine.id, { admin: true }));
    const ours = await keyIn(mine.id);
    const foreign = await keyIn(theirs.id);
    const text = `TOKEN=${ours.token}; other:${foreign.token}, and kw_tooShort`;
    const outcome = await reportLeakedTokensAsAdmin(admin, text);
    expect(outcome.found).toBe(2);
    expect(outcome.keys.map((key) => key.id)).toEqual([ours.key.id]);
    // The other tenant's key is revoked all the same; only its outcome is not shown.
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: foreign.key.id } });
    expect(row.revokedAt).not.toBeNull();
  });

  it("is for tenant admins only", async () => {
    const tenant = await createTenant();
    const developer = principalOf(await createUser(tenant.id, { developer: true }));
    await expect(reportLeakedTokensAsAdmin(developer, "kw_x")).rejects.toBeInstanceOf(Forbidden);
  });
});
