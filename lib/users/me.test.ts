import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { createApiKey } from "@/lib/api-keys/service";
import { verifyApiKeyToken } from "@/lib/api-keys/verify";
import { getCurrentUser } from "./me";

describe("getCurrentUser", () => {
  it("reads a session caller's user by ID, in Qlik Cloud's shape", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { developer: true });
    expect(await getCurrentUser(principalOf(user))).toEqual({
      id: user.id,
      tenantId: tenant.id,
      name: user.name,
      email: user.email,
      status: "active",
      assignedRoles: [{ name: "Developer" }],
      createdAt: user.createdAt.toISOString(),
      lastUpdatedAt: user.updatedAt.toISOString(),
    });
  });

  it("answers a key caller from the row the key check read, and that row is current", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { developer: true });
    const { token } = await createApiKey(principalOf(user), { description: "me" });
    await db.user.update({ where: { id: user.id }, data: { name: "Renamed Developer" } });
    const verified = await verifyApiKeyToken(token);
    if (!verified.ok) throw new Error(`key refused: ${verified.reason}`);
    expect(verified.principal.user).toBeDefined();
    expect(await getCurrentUser(verified.principal)).toMatchObject({
      id: user.id,
      name: "Renamed Developer",
    });
  });

  it("refuses a principal whose user belongs to another tenant, or is gone", async () => {
    const acme = await createTenant();
    const globex = await createTenant();
    const user = await createUser(acme.id, { developer: true });
    const crossed = { ...principalOf(user), tenantId: globex.id };
    await expect(async () => getCurrentUser(crossed)).rejects.toBeInstanceOf(NotFound);
    const gone = { ...principalOf(user), userId: "000000000000000000000000" };
    await expect(async () => getCurrentUser(gone)).rejects.toBeInstanceOf(NotFound);
  });

  it("answers from the current row: a role taken away shows on the next call", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant.id, { developer: true, admin: true });
    const principal = principalOf(user);
    const before = await getCurrentUser(principal);
    expect(before.assignedRoles).toEqual([{ name: "TenantAdmin" }, { name: "Developer" }]);
    await db.user.update({ where: { id: user.id }, data: { isTenantAdmin: false } });
    expect((await getCurrentUser(principal)).assignedRoles).toEqual([{ name: "Developer" }]);
  });
});
