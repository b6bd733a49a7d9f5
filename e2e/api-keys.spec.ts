import { expect, test } from "@playwright/test";
import { createUser, e2eDb } from "./fixtures";
import { bearer, createTenant, insertKey, userWithKey } from "./api-helpers";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function expectKeyShape(key: Record<string, unknown>) {
  expect(Object.keys(key).sort()).toEqual(
    [
      "created",
      "createdByUser",
      "description",
      "expiry",
      "id",
      "lastUpdated",
      "lastUsed",
      "status",
      "sub",
      "subType",
      "tenantId",
    ].sort(),
  );
  expect(key.id).toMatch(/^[0-9a-f]{24}$/);
  expect(key.subType).toBe("user");
  expect(["active", "expired", "revoked"]).toContain(key.status);
  for (const field of ["created", "lastUpdated", "expiry"]) expect(key[field]).toMatch(ISO);
}

test.describe("REST /api/v1/api-keys", () => {
  test("a developer generates, reads, renames and deletes a key", async ({ request }) => {
    const dev = await userWithKey("acme");
    const headers = bearer(dev.key.token);

    const created = await request.post("/api/v1/api-keys", {
      headers,
      data: { description: "CI pipeline", expiry: "P7D" },
    });
    expect(created.status()).toBe(201);
    expect(created.headers()["cache-control"]).toBe("no-store");
    const { token, ...key } = (await created.json()) as Record<string, unknown>;
    expect(token).toMatch(/^kw_[0-9A-Za-z]{38}$/);
    expectKeyShape(key);
    expect(key).toMatchObject({ description: "CI pipeline", sub: dev.id, createdByUser: dev.id });
    expect(Date.parse(String(key.expiry)) - Date.parse(String(key.created))).toBe(7 * 86_400_000);

    const got = await request.get(`/api/v1/api-keys/${key.id}`, { headers });
    expect(got.status()).toBe(200);
    expect(await got.json()).toEqual(key);

    const renamed = await request.patch(`/api/v1/api-keys/${key.id}`, {
      headers,
      data: [{ op: "replace", path: "/description", value: "Nightly export" }],
    });
    expect(renamed.status()).toBe(204);
    const afterRename = await (await request.get(`/api/v1/api-keys/${key.id}`, { headers })).json();
    expect(afterRename.description).toBe("Nightly export");

    // The new key works at once, as its owner.
    const me = await request.get("/api/v1/users/me", { headers: bearer(String(token)) });
    expect((await me.json()).id).toBe(dev.id);

    expect((await request.delete(`/api/v1/api-keys/${key.id}`, { headers })).status()).toBe(204);
    expect((await request.get(`/api/v1/api-keys/${key.id}`, { headers })).status()).toBe(404);
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(String(token)) })).status(),
    ).toBe(401);
  });

  test("JSON Patch errors point at the operation", async ({ request }) => {
    const dev = await userWithKey("acme");
    const headers = bearer(dev.key.token);
    const url = `/api/v1/api-keys/${dev.key.id}`;
    const cases: [unknown, string][] = [
      [[{ op: "add", path: "/description", value: "x" }], "/0/op"],
      [
        [
          { op: "replace", path: "/description", value: "ok" },
          { op: "replace", path: "/sub", value: "x" },
        ],
        "/1/path",
      ],
      [[{ op: "replace", path: "/description" }], "/0/value"],
      [[{ op: "replace", path: "/description", value: "x".repeat(257) }], "/0/value"],
      [[{ op: "replace", path: "/description", value: 42 }], "/0/value"],
      [{ op: "replace", path: "/description", value: "x" }, ""],
      [[], ""],
      [["replace"], "/0"],
    ];
    for (const [patch, pointer] of cases) {
      const response = await request.patch(url, { headers, data: patch });
      expect(response.status(), JSON.stringify(patch)).toBe(400);
      const body = await response.json();
      expect(body.errors[0].source, JSON.stringify(patch)).toEqual({ pointer });
    }
    const row = await e2eDb().apiKey.findUnique({
      where: { id: dev.key.id },
      select: { description: true },
    });
    expect(row).toEqual({ description: expect.stringMatching(/^key /) });
  });

  test("bodies: invalid JSON 400, wrong type 415, over 1 MB 413", async ({ request }) => {
    const dev = await userWithKey("acme");
    const headers = bearer(dev.key.token);
    const bad = await request.post("/api/v1/api-keys", {
      headers: { ...headers, "content-type": "application/json" },
      data: "{not json",
    });
    expect(bad.status()).toBe(400);
    const text = await request.post("/api/v1/api-keys", {
      headers: { ...headers, "content-type": "text/plain" },
      data: '{"description":"x"}',
    });
    expect(text.status()).toBe(415);
    const huge = await request.post("/api/v1/api-keys", {
      headers: { ...headers, "content-type": "application/json" },
      data: JSON.stringify({ description: "x", padding: "y".repeat(1024 * 1024) }),
    });
    expect(huge.status()).toBe(413);
    expect((await huge.json()).errors[0].status).toBe("413");
    const invalid = await request.post("/api/v1/api-keys", { headers, data: { description: "" } });
    expect(invalid.status()).toBe(400);
    expect((await invalid.json()).errors[0].source).toEqual({ pointer: "/description" });
    expect(await e2eDb().apiKey.count({ where: { ownerId: dev.id } })).toBe(1);
  });

  test("roles: others' keys are 404 to a developer; an admin reads and revokes them", async ({
    request,
  }) => {
    const dev = await userWithKey("acme");
    const other = await userWithKey("acme");
    const admin = await userWithKey("acme", { admin: true, developer: true });
    const otherKeyUrl = `/api/v1/api-keys/${other.key.id}`;
    expect((await request.get(otherKeyUrl, { headers: bearer(dev.key.token) })).status()).toBe(404);
    expect(
      (
        await request.patch(otherKeyUrl, {
          headers: bearer(dev.key.token),
          data: [{ op: "replace", path: "/description", value: "mine now" }],
        })
      ).status(),
    ).toBe(404);
    expect((await request.delete(otherKeyUrl, { headers: bearer(dev.key.token) })).status()).toBe(
      404,
    );
    expect((await request.get(otherKeyUrl, { headers: bearer(admin.key.token) })).status()).toBe(
      200,
    );
    // An admin may not rename another's key.
    expect(
      (
        await request.patch(otherKeyUrl, {
          headers: bearer(admin.key.token),
          data: [{ op: "replace", path: "/description", value: "admin's" }],
        })
      ).status(),
    ).toBe(404);
    expect((await request.delete(otherKeyUrl, { headers: bearer(admin.key.token) })).status()).toBe(
      204,
    );
    const revoked = await request.get(otherKeyUrl, { headers: bearer(admin.key.token) });
    expect((await revoked.json()).status).toBe("revoked");
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(other.key.token) })).status(),
    ).toBe(401);
  });

  test("configs: TenantAdmin reads and patches, others 403, other tenants 404", async ({
    request,
  }) => {
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    const dev = await userWithKey(slug);
    const url = `/api/v1/api-keys/configs/${admin.tenantId}`;
    const read = await request.get(url, { headers: bearer(admin.key.token) });
    expect(read.status()).toBe(200);
    expect(await read.json()).toEqual({
      api_keys_enabled: true,
      max_api_key_expiry: "P90D",
      max_keys_per_user: 1000,
      revoke_unused_after_days: null,
    });
    const patched = await request.patch(url, {
      headers: bearer(admin.key.token),
      data: [
        { op: "replace", path: "/max_api_key_expiry", value: "P30D" },
        { op: "replace", path: "/max_keys_per_user", value: 7 },
        { op: "replace", path: "/revoke_unused_after_days", value: 30 },
      ],
    });
    expect(patched.status()).toBe(204);
    expect(await (await request.get(url, { headers: bearer(admin.key.token) })).json()).toEqual({
      api_keys_enabled: true,
      max_api_key_expiry: "P30D",
      max_keys_per_user: 7,
      revoke_unused_after_days: 30,
    });
    const invalid = await request.patch(url, {
      headers: bearer(admin.key.token),
      data: [{ op: "replace", path: "/max_keys_per_user", value: 5000 }],
    });
    expect(invalid.status()).toBe(400);
    expect((await invalid.json()).errors[0].source).toEqual({ pointer: "/0/value" });

    expect((await request.get(url, { headers: bearer(dev.key.token) })).status()).toBe(403);
    expect(
      (
        await request.patch(url, {
          headers: bearer(dev.key.token),
          data: [{ op: "replace", path: "/api_keys_enabled", value: false }],
        })
      ).status(),
    ).toBe(403);

    const acmeAdmin = await userWithKey("acme", { admin: true, developer: true });
    const globex = await e2eDb().tenant.findUniqueOrThrow({
      where: { slug: "globex" },
      select: { id: true },
    });
    const acrossUrl = `/api/v1/api-keys/configs/${globex.id}`;
    expect((await request.get(acrossUrl, { headers: bearer(acmeAdmin.key.token) })).status()).toBe(
      404,
    );
    expect((await request.get(url, { headers: bearer(acmeAdmin.key.token) })).status()).toBe(404);
  });

  test("404 across tenants, both ways", async ({ request }) => {
    const acme = await userWithKey("acme", { admin: true, developer: true });
    const otherSlug = await createTenant();
    const other = await userWithKey(otherSlug, { admin: true, developer: true });
    const globexDev = await createUser("globex", { developer: true });
    const globexKey = await insertKey(globexDev);
    for (const [caller, target] of [
      [acme, other.key.id],
      [acme, globexKey.id],
      [other, acme.key.id],
    ] as const) {
      const headers = bearer(caller.key.token);
      const url = `/api/v1/api-keys/${target}`;
      expect((await request.get(url, { headers })).status()).toBe(404);
      expect((await request.delete(url, { headers })).status()).toBe(404);
      expect(
        (
          await request.patch(url, {
            headers,
            data: [{ op: "replace", path: "/description", value: "taken" }],
          })
        ).status(),
      ).toBe(404);
      const list = await request.get(`/api/v1/api-keys?limit=100&sub=${other.id}`, { headers });
      const ids = ((await list.json()).data as { id: string }[]).map((key) => key.id);
      expect(ids).not.toContain(target);
    }
    const rows = await e2eDb().apiKey.findMany({
      where: { id: { in: [other.key.id, globexKey.id, acme.key.id] } },
      select: { revokedAt: true },
    });
    expect(rows).toEqual([{ revokedAt: null }, { revokedAt: null }, { revokedAt: null }]);
  });
});
