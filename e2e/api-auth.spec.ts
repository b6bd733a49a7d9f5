import { expect, test } from "@playwright/test";
import { createUser, e2eDb, type TestUser } from "./fixtures";
import {
  bearer,
  clientAddress,
  createTenant,
  errorShape,
  insertKey,
  makeToken,
  userWithKey,
  type TestKey,
} from "./api-helpers";

test.describe("REST authentication", () => {
  test("every refused credential gets one identical 401", async ({ request }) => {
    const db = e2eDb();
    const expired = await createUser("acme", { developer: true });
    const revoked = await createUser("acme", { developer: true });
    const deleted = await userWithKey("acme");
    const disabled = await userWithKey("acme");
    const demoted = await userWithKey("acme");
    // A tenant of its own with keys off: other specs switch keys on for the demo tenants.
    const keysOffDeveloper = await createUser(await createTenant(false), { developer: true });
    const expiredKey = await insertKey(expired, { expiresAt: new Date(Date.now() - 1000) });
    const revokedKey = await insertKey(revoked, { revoked: true });
    await db.apiKey.delete({ where: { id: deleted.key.id } });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    await db.user.update({ where: { id: demoted.id }, data: { isDeveloper: false } });
    const keysOff = await insertKey(keysOffDeveloper);

    const ip = clientAddress();
    const causes: [string, Record<string, string>][] = [
      ["missing", { "x-forwarded-for": ip }],
      ["malformed", { authorization: "Bearer not-a-key", "x-forwarded-for": ip }],
      ["unknown", bearer(makeToken(), ip)],
      ["expired", bearer(expiredKey.token, ip)],
      ["revoked", bearer(revokedKey.token, ip)],
      ["deleted", bearer(deleted.key.token, ip)],
      ["owner disabled", bearer(disabled.key.token, ip)],
      ["owner without Developer", bearer(demoted.key.token, ip)],
      ["tenant with keys off", bearer(keysOff.token, ip)],
    ];
    const shapes = [];
    for (const [cause, headers] of causes) {
      const response = await request.get("/api/v1/users/me", { headers });
      expect(response.status(), cause).toBe(401);
      shapes.push({
        shape: await errorShape(response),
        wwwAuthenticate: response.headers()["www-authenticate"],
        contentType: response.headers()["content-type"],
      });
    }
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);

    // Undoing the cause lets the key work again: nothing was revoked.
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: null } });
    await db.user.update({ where: { id: demoted.id }, data: { isDeveloper: true } });
    for (const key of [disabled.key, demoted.key]) {
      expect((await request.get("/api/v1/users/me", { headers: bearer(key.token) })).status()).toBe(
        200,
      );
    }
  });

  test("a key that just worked is refused on the very next call once another process changes it", async ({
    request,
  }) => {
    // This test's own connection to the database stands for another app instance: nothing the
    // server does tells it of the change, so a kept credential would still answer 200.
    const db = e2eDb();
    const changes: [string, (user: TestUser & { key: TestKey }) => Promise<unknown>][] = [
      [
        "revoked",
        (u) => db.apiKey.update({ where: { id: u.key.id }, data: { revokedAt: new Date() } }),
      ],
      ["deleted", (u) => db.apiKey.delete({ where: { id: u.key.id } })],
      [
        "expired",
        (u) => db.apiKey.update({ where: { id: u.key.id }, data: { expiresAt: new Date() } }),
      ],
      [
        "owner disabled",
        (u) => db.user.update({ where: { id: u.id }, data: { disabledAt: new Date() } }),
      ],
      [
        "Developer removed",
        (u) => db.user.update({ where: { id: u.id }, data: { isDeveloper: false } }),
      ],
      [
        "keys switched off",
        (u) => db.tenant.update({ where: { id: u.tenantId }, data: { apiKeysEnabled: false } }),
      ],
    ];
    for (const [cause, change] of changes) {
      const caller = await userWithKey(await createTenant());
      const call = () => request.get("/api/v1/users/me", { headers: bearer(caller.key.token) });
      for (let i = 0; i < 3; i++) expect((await call()).status(), cause).toBe(200);
      await change(caller);
      expect((await call()).status(), cause).toBe(401);
    }
  });

  test("a key in the query string is refused, never read", async ({ request }) => {
    const dev = await userWithKey("acme");
    for (const name of ["api_key", "apikey", "token", "access_token", "key"]) {
      const response = await request.get(`/api/v1/users/me?${name}=${dev.key.token}`, {
        headers: { "x-forwarded-for": clientAddress() },
      });
      expect(response.status(), name).toBe(400);
      expect((await response.json()).errors[0].source).toEqual({ parameter: name });
    }
    const usage = await e2eDb().apiKey.findUnique({
      where: { id: dev.key.id },
      select: { lastUsedAt: true },
    });
    expect(usage).toEqual({ lastUsedAt: null });
  });

  test("refused credentials from one address are limited: 429 with Retry-After", async ({
    request,
  }) => {
    const ip = clientAddress();
    let limited;
    for (let i = 0; i < 40 && !limited; i++) {
      const response = await request.get("/api/v1/users/me", { headers: bearer(makeToken(), ip) });
      if (response.status() === 429) limited = response;
      else expect(response.status()).toBe(401);
    }
    expect(limited, "no 429 within 40 refusals").toBeDefined();
    const retryAfter = Number(limited!.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await limited!.json()).errors[0].status).toBe("429");
    // Another address is unaffected.
    expect((await request.get("/api/v1/users/me", { headers: bearer(makeToken()) })).status()).toBe(
      401,
    );
  });

  test("refused tokens from an address never lock a valid key out of it (one NAT, many clients)", async ({
    request,
  }) => {
    const ip = clientAddress();
    const dev = await userWithKey("acme");
    const statuses: number[] = [];
    // The suite's server allows 30 refused tokens per address per minute.
    for (let i = 0; i < 31; i++) {
      const token = i % 2 ? "not-a-key" : makeToken();
      statuses.push(
        (await request.get("/api/v1/users/me", { headers: bearer(token, ip) })).status(),
      );
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses[30]).toBe(429);

    const valid = await request.get("/api/v1/users/me", { headers: bearer(dev.key.token, ip) });
    expect(valid.status()).toBe(200);
    expect((await valid.json()).id).toBe(dev.id);
    const refused = await request.get("/api/v1/users/me", { headers: bearer(makeToken(), ip) });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(dev.key.token, ip) })).status(),
    ).toBe(200);
  });

  test("each request of a key is counted exactly, and the 1001st in a minute is refused", async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const dev = await userWithKey("acme");
    const headers = bearer(dev.key.token);
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => request.get("/api/v1/users/me", { headers })),
      );
      statuses.push(...responses.map((response) => response.status()));
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(1000);
    const over = await request.get("/api/v1/users/me", { headers });
    expect(over.status()).toBe(429);
    expect(Number(over.headers()["retry-after"])).toBeGreaterThan(0);

    await expect
      .poll(
        async () => {
          const usage = await e2eDb().apiKeyUsage.aggregate({
            where: { apiKeyId: dev.key.id },
            _sum: { requests: true },
          });
          return usage._sum.requests;
        },
        { timeout: 15_000 },
      )
      .toBe(1000);
    const key = await e2eDb().apiKey.findUniqueOrThrow({
      where: { id: dev.key.id },
      select: { lastUsedAt: true, lastUsedIp: true },
    });
    expect(key.lastUsedIp).toBe(headers["x-forwarded-for"]);
    expect(key.lastUsedAt).not.toBeNull();
    const shown = await request.get(`/api/v1/api-keys/${dev.key.id}`, {
      headers: bearer((await insertKey(dev)).token),
    });
    expect((await shown.json()).lastUsed).toMatch(/Z$/);
  });
});
