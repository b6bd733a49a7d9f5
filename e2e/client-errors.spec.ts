import http from "node:http";
import fc from "fast-check";
import { createUser, e2eDb, expect, signIn, test } from "./fixtures";
import { bearer, createTenant, userWithKey } from "./api-helpers";
import { actionResult, serverAction, signInApi } from "./server-actions";

/** A request as a client may write it, with a method or path Playwright's client would mend. */
function rawRequest(
  baseURL: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

test.describe("nothing a client sends causes a 500", () => {
  test("a path whose %-escapes are no UTF-8 text is a 400, in the API's error body there", async ({
    baseURL,
  }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    for (const path of ["/api/v1/api-keys/%ff", "/api/v1/spaces/a%ffb", "/api/v1/api-keys%ff"]) {
      const answer = await rawRequest(baseURL!, "GET", path, bearer(user.key.token));
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).errors[0]).toMatchObject({
        status: "400",
        detail: "The request path is not valid: a %-escape in it is no UTF-8 text.",
      });
    }
    const page = await rawRequest(baseURL!, "GET", "/profile/%ff");
    expect(page.status).toBe(400);
  });

  test("TRACE is refused with 405, on the API and on pages", async ({ baseURL }) => {
    for (const path of ["/api/v1/api-keys", "/api/v1/users/me", "/login", "/profile/api-keys"]) {
      const answer = await rawRequest(baseURL!, "TRACE", path);
      expect(answer.status, path).toBe(405);
      expect(answer.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(answer.body).toContain("Keyward does not answer TRACE requests.");
    }
  });

  test("the events export refuses a day that is none with 400; 9999-12-31 is a day like any other", async ({
    request,
  }) => {
    const slug = await createTenant();
    const admin = await createUser(slug, { admin: true, developer: true });
    await signInApi(request, admin);
    for (const [query, message] of [
      ["from=garbage", "From must be a date (YYYY-MM-DD)."],
      ["from=2020-13-01", "From must be a date (YYYY-MM-DD)."],
      ["from=2020-02-30", "From must be a date (YYYY-MM-DD)."],
      ["to=2020-00-10", "To must be a date (YYYY-MM-DD)."],
      // No year 0000: PostgreSQL refuses it, so it must not reach the database.
      ["to=0000-01-01", "To must be a date (YYYY-MM-DD)."],
    ]) {
      const refused = await request.get(`/admin/events/export?${query}`);
      expect(refused.status(), query).toBe(400);
      expect(await refused.text()).toBe(message);
    }
    for (const query of ["to=9999-12-31", "from=9999-12-31&to=9999-12-31", "from=0001-01-01"]) {
      const exported = await request.get(`/admin/events/export?${query}`);
      expect(exported.status(), query).toBe(200);
      expect(await exported.text()).toMatch(/^eventTime,eventType,/);
      const page = await request.get(`/admin/events?${query}`);
      expect(page.status(), query).toBe(200);
    }
  });

  test("the events page keeps the year 9999 and says which date is wrong", async ({ page }) => {
    const slug = await createTenant();
    const admin = await createUser(slug, { admin: true, developer: true });
    await signIn(page, admin.email, admin.password);
    await page.goto("/admin/events?to=9999-12-31");
    await expect(page.getByRole("heading", { name: "Audit events" })).toBeVisible();
    await expect(page.getByText("must be a date")).toHaveCount(0);
    await page.goto("/admin/events?from=2020-13-01");
    await expect(
      page.getByRole("alert").filter({ hasText: "From must be a date (YYYY-MM-DD)." }),
    ).toBeVisible();
  });

  test("the audit log answers a time or cursor past what can be stored with 400", async ({
    request,
  }) => {
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const query of [
      "eventTime=9999-12-31T23:59:59-12:00/",
      "eventTime=/0000-01-01T00:00:00%2B14:00",
      `next=${cursor(["+100000-01-01T00:00:00.000Z", 1])}`,
      `prev=${cursor(["2026-01-01T00:00:00.000Z", 1e300])}`,
    ]) {
      const answer = await request.get(`/api/v1/audits?${query}`, {
        headers: bearer(admin.key.token),
      });
      expect(answer.status(), query).toBe(400);
    }
    const page = await request.get(`/api/v1/audits?eventTime=9999-12-31T23:59:59Z/`, {
      headers: bearer(admin.key.token),
    });
    expect(page.status()).toBe(200);
  });

  test("the users page answers a page number that cannot exist with 404", async ({ request }) => {
    const slug = await createTenant();
    const admin = await createUser(slug, { admin: true, developer: true });
    await signInApi(request, admin);
    for (const page of ["99999999999999999999", "1e400", "abc", "0", "-1", "1.5"]) {
      const answer = await request.get(`/admin/users?page=${page}`);
      expect(answer.status(), page).toBe(404);
      expect(await answer.text()).toContain("Page not found");
    }
    for (const page of ["", "1", "2", "999999999"]) {
      expect((await request.get(`/admin/users?page=${page}`)).status(), page).toBe(200);
    }
  });
});

test("no query of the administration's pages causes a 5xx", async ({ request }) => {
  test.setTimeout(300_000);
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true, developer: true });
  await signInApi(request, admin);
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer().map(String),
    fc.constantFrom(
      "9999-12-31",
      "0000-01-01",
      "2020-02-30",
      "1e400",
      "99999999999999999999",
      "-created",
      "+expires",
      "-lastUsed",
      "+status",
      "+name",
      cursor({ v: "garbage", r: 1 }),
      cursor({ v: "+100000-01-01T00:00:00Z", r: "x" }),
      cursor({ v: null, r: 1e300 }),
      cursor(["+100000-01-01T00:00:00.000Z", 1]),
      cursor(["2026-01-01T00:00:00.000Z", -1]),
      "api-key.created",
      "active",
    ),
  );
  const names = fc.constantFrom(
    "page",
    "search",
    "sort",
    "status",
    "after",
    "before",
    "from",
    "to",
    "next",
    "prev",
    "eventType",
    "user",
    "key",
    "period",
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("/admin/api-keys", "/admin/events", "/admin/events/export", "/admin/users"),
      fc.dictionary(names, value, { maxKeys: 4 }),
      async (path, params) => {
        const query = new URLSearchParams(params).toString();
        const answer = await request.get(`${path}?${query}`, { maxRedirects: 0 });
        expect(answer.status(), `${path}?${query}`).toBeLessThan(500);
      },
    ),
    { numRuns: 150 },
  );
});

test.describe("server actions refuse what Next.js would fail on", () => {
  test("a foreign Origin is 403, a malformed body 400, a body over 1 MB 413; nothing is created", async ({
    request,
    baseURL,
  }) => {
    const slug = await createTenant();
    const developer = await createUser(slug, { developer: true });
    await signInApi(request, developer);
    const generate = serverAction("generateKeyAction");
    const origin = new URL(baseURL!).origin;
    const post = (headers: Record<string, string>, data: string | Buffer) =>
      request.post(generate.page, {
        headers: {
          "next-action": generate.id,
          "content-type": "text/plain;charset=UTF-8",
          origin,
          ...headers,
        },
        data,
      });
    const call = JSON.stringify([{ description: "refused", expiry: null }]);

    for (const foreign of ["https://evil.example", "null", "garbage"]) {
      const answer = await post({ origin: foreign }, call);
      expect(answer.status(), foreign).toBe(403);
      expect(await answer.text()).toContain(
        "Server actions are only accepted from Keyward's own pages",
      );
    }
    for (const [body, reason] of [
      ["garbage{", "part 0 of the arguments is not valid JSON"],
      ['{"description":"x"}', "the arguments are not a JSON array"],
      ['["$Q1"]', `"$Q1" is a reference this server does not take`],
      ['["$nxyz"]', `"$nxyz" is a reference this server does not take`],
      [JSON.stringify(new Array(1001).fill(0)), "a call takes at most 1000 arguments"],
      [`${"[".repeat(5000)}${"]".repeat(5000)}`, "the arguments are nested deeper than 64 levels"],
    ]) {
      const answer = await post({}, body);
      expect(answer.status(), body.slice(0, 20)).toBe(400);
      expect(await answer.text()).toBe(`This server action request is malformed: ${reason}.\n`);
    }
    const multipart = await post(
      { "content-type": "multipart/form-data; boundary=x" },
      "--x\r\nbroken",
    );
    expect(multipart.status()).toBe(400);

    const tooLarge = await post({}, Buffer.alloc(1024 * 1024 + 1, "x"));
    expect(tooLarge.status()).toBe(413);
    expect(await tooLarge.text()).toBe(
      "A server action's request body can be at most 1048576 bytes.\n",
    );

    expect(await e2eDb().apiKey.count({ where: { ownerId: developer.id } })).toBe(0);
    // The same call from Keyward's own page goes through.
    const accepted = await post({}, call);
    expect(actionResult(await accepted.text())).toMatchObject({ ok: true });
    expect(await e2eDb().apiKey.count({ where: { ownerId: developer.id } })).toBe(1);
  });

  test("a description that is not Unicode text, or holds a bidi override, is refused with its reason", async ({
    request,
    baseURL,
  }) => {
    const slug = await createTenant();
    const developer = await createUser(slug, { developer: true });
    await signInApi(request, developer);
    const generate = serverAction("generateKeyAction");
    const call = (description: string) =>
      request.post(generate.page, {
        headers: {
          "next-action": generate.id,
          "content-type": "text/plain;charset=UTF-8",
          origin: new URL(baseURL!).origin,
        },
        // The escape as JSON text: a lone surrogate cannot be written in UTF-8.
        data: `[{"description":"${description}","expiry":null}]`,
      });
    for (const [description, error] of [
      ["x\\ud800y", "Description must be valid Unicode text."],
      [
        "abc\\u202egnp.exe",
        "Description cannot contain control or bidirectional formatting characters.",
      ],
      ["nul\\u0000", "Description cannot contain control or bidirectional formatting characters."],
    ]) {
      const answer = await call(description);
      expect(answer.status()).toBe(200);
      expect(actionResult(await answer.text())).toEqual({ ok: false, error, field: "description" });
    }
    expect(await e2eDb().apiKey.count({ where: { ownerId: developer.id } })).toBe(0);
  });

  test("the Generate form says why a bidi override is refused", async ({ page }) => {
    const slug = await createTenant();
    const developer = await createUser(slug, { developer: true });
    await signIn(page, developer.email, developer.password);
    await page.goto("/profile/api-keys");
    await page.getByRole("button", { name: "Generate new key" }).click();
    const form = page.getByRole("dialog", { name: "Generate new key" });
    await form.getByLabel("Description").fill("invoice\u202egnp.exe");
    await form.getByRole("button", { name: "Generate", exact: true }).click();
    await expect(
      form.getByText("Description cannot contain control or bidirectional formatting characters."),
    ).toBeVisible();
    expect(await e2eDb().apiKey.count({ where: { ownerId: developer.id } })).toBe(0);
  });
});
