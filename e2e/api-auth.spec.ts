import { expect, test } from "@playwright/test";
import { createUser, e2eDb, type TestUser } from "./fixtures";
import {
  bearer,
  clientAddress,
  createTenant,
  errorShape,
  insertKey,
  makeToken,
  sqliteTime,
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
    const keysOffDeveloper = await createUser(createTenant(false), { developer: true });
    const expiredKey = insertKey(expired, { expiresAt: new Date(Date.now() - 1000) });
    const revokedKey = insertKey(revoked, { revoked: true });
    db.prepare("DELETE FROM ApiKey WHERE id = ?").run(deleted.key.id);
    db.prepare("UPDATE User SET disabledAt = ? WHERE id = ?").run(
      sqliteTime(new Date()),
      disabled.id,
    );
    db.prepare("UPDATE User SET isDeveloper = 0 WHERE id = ?").run(demoted.id);
    const keysOff = insertKey(keysOffDeveloper);

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
    db.prepare("UPDATE User SET disabledAt = NULL WHERE id = ?").run(disabled.id);
    db.prepare("UPDATE User SET isDeveloper = 1 WHERE id = ?").run(demoted.id);
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
    const now = () => sqliteTime(new Date());
    const changes: [string, (user: TestUser & { key: TestKey }) => void][] = [
      [
        "revoked",
        (u) => db.prepare("UPDATE ApiKey SET revokedAt = ? WHERE id = ?").run(now(), u.key.id),
      ],
      ["deleted", (u) => db.prepare("DELETE FROM ApiKey WHERE id = ?").run(u.key.id)],
      [
        "expired",
        (u) => db.prepare("UPDATE ApiKey SET expiresAt = ? WHERE id = ?").run(now(), u.key.id),
      ],
      [
        "owner disabled",
        (u) => db.prepare("UPDATE User SET disabledAt = ? WHERE id = ?").run(now(), u.id),
      ],
      [
        "Developer removed",
        (u) => db.prepare("UPDATE User SET isDeveloper = 0 WHERE id = ?").run(u.id),
      ],
      [
        "keys switched off",
        (u) => db.prepare("UPDATE Tenant SET apiKeysEnabled = 0 WHERE id = ?").run(u.tenantId),
      ],
    ];
    for (const [cause, change] of changes) {
      const caller = await userWithKey(createTenant());
      const call = () => request.get("/api/v1/users/me", { headers: bearer(caller.key.token) });
      for (let i = 0; i < 3; i++) expect((await call()).status(), cause).toBe(200);
      change(caller);
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
    const usage = e2eDb().prepare("SELECT lastUsedAt FROM ApiKey WHERE id = ?").get(dev.key.id);
    expect(usage).toEqual({ lastUsedAt: null });
  });

  test("refused credentials from one address are limited: 429 with Retry-After", async ({
    request,
  }) => {
    const ip = clientAddress();
    const dev = await userWithKey("acme");
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
    // Even a valid key waits out the address's penalty; another address is unaffected.
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(dev.key.token, ip) })).status(),
    ).toBe(429);
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(dev.key.token) })).status(),
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
        () =>
          e2eDb()
            .prepare("SELECT SUM(requests) AS n FROM ApiKeyUsage WHERE apiKeyId = ?")
            .get(dev.key.id),
        { timeout: 15_000 },
      )
      .toEqual({ n: 1000 });
    const key = e2eDb()
      .prepare("SELECT lastUsedAt, lastUsedIp FROM ApiKey WHERE id = ?")
      .get(dev.key.id) as { lastUsedAt: string | null; lastUsedIp: string | null };
    expect(key.lastUsedIp).toBe(headers["x-forwarded-for"]);
    expect(key.lastUsedAt).not.toBeNull();
    const shown = await request.get(`/api/v1/api-keys/${dev.key.id}`, {
      headers: bearer(insertKey(dev).token),
    });
    expect((await shown.json()).lastUsed).toMatch(/Z$/);
  });
});
