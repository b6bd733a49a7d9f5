import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { e2eDb } from "./fixtures";
import { bearer, clientAddress, createTenant, insertKey, userWithKey } from "./api-helpers";

/** What a refused request must leave untouched: the tenant's keys, settings, users and spaces. */
async function snapshot(tenantId: string) {
  const db = e2eDb();
  const rows = [
    await db.tenant.findMany({ where: { id: tenantId } }),
    await db.apiKey.findMany({
      where: { tenantId },
      select: {
        id: true,
        ownerId: true,
        description: true,
        digest: true,
        createdAt: true,
        updatedAt: true,
        expiresAt: true,
        revokedAt: true,
      },
      orderBy: { id: "asc" },
    }),
    await db.user.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
    await db.space.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
  ];
  return JSON.parse(JSON.stringify(rows)) as unknown;
}

const headerValue = fc.string({ maxLength: 40 }).map((value) => value.replace(/[^\x20-\x7e]/g, ""));
const headerName = fc.constantFrom(
  "authorization",
  "content-type",
  "accept",
  "cookie",
  "origin",
  "x-forwarded-for",
  "if-none-match",
);
const query = fc.dictionary(
  fc.constantFrom(
    "limit",
    "sort",
    "status",
    "sub",
    "startingAfter",
    "endingBefore",
    "name",
    "next",
    "prev",
    "x",
  ),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String)),
  { maxKeys: 4 },
);
/** Text as JSON can spell it: any code point, a lone surrogate among them. */
const anyText = fc.string({ unit: "binary", maxLength: 20 });
const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constant('[{"op":"replace","path":"/description","value":null}]'),
  fc.constant('{"description":""}'),
  fc.constant('{"description":"x\\ud800y"}'),
  fc.constant('[{"op":"replace","path":"/description","value":"\\udc00"}]'),
  anyText.map((text) => JSON.stringify({ description: text, name: text })),
  anyText.map((text) => JSON.stringify([{ op: "replace", path: "/description", value: text }])),
  fc.constantFrom('{"gracePeriod":"PT1H"}', '{"gracePeriod":"P8D"}', '{"gracePeriod":null}'),
  anyText.map((text) => JSON.stringify({ gracePeriod: text })),
  fc.array(anyText, { maxLength: 5 }).map((tokens) => JSON.stringify({ tokens })),
);

test("arbitrary queries, headers and bodies never cause a 500; refusals change nothing", async ({
  request,
}) => {
  test.setTimeout(240_000);
  const slug = await createTenant();
  const admin = await userWithKey(slug, { admin: true, developer: true });
  const spaceResponse = await request.post("/api/v1/spaces", {
    headers: { authorization: `Bearer ${admin.key.token}`, "x-forwarded-for": clientAddress() },
    data: { name: "Fuzz" },
  });
  const spaceId = (await spaceResponse.json()).id as string;
  // A key of the admin's own to regenerate, so that the admin's key keeps answering.
  const spare = await insertKey(admin, { expiresAt: new Date(Date.now() + 86_400_000) });
  const endpoints: [string, string][] = [
    ["GET", "/api/v1/api-keys"],
    ["POST", "/api/v1/api-keys"],
    ["GET", `/api/v1/api-keys/${admin.key.id}`],
    ["PATCH", `/api/v1/api-keys/${admin.key.id}`],
    ["DELETE", "/api/v1/api-keys/zzz"],
    ["GET", `/api/v1/api-keys/configs/${admin.tenantId}`],
    ["PATCH", `/api/v1/api-keys/configs/${admin.tenantId}`],
    ["GET", "/api/v1/spaces"],
    ["POST", "/api/v1/spaces"],
    ["GET", `/api/v1/spaces/${spaceId}`],
    ["GET", "/api/v1/users/me"],
    ["POST", `/api/v1/api-keys/${spare.id}/regenerate`],
    ["POST", "/api/v1/api-keys/leaks"],
  ];

  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...endpoints),
      query,
      fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
      fc.boolean(),
      body,
      async ([method, path], params, extraHeaders, keepKey, payload) => {
        const before = await snapshot(admin.tenantId);
        // Each request comes from an address of its own, so that the refusal limit never answers
        // in place of the endpoint; a written X-Forwarded-For reaches the server before it, as a
        // proxy would append it, so refusals never land on the suite's loopback address.
        const ip = clientAddress();
        const { "x-forwarded-for": forwarded, ...others } = extraHeaders;
        const headers: Record<string, string> = {
          // JSON unless the case says otherwise, so that bodies reach the endpoints' parsing.
          "content-type": "application/json",
          ...others,
          "x-forwarded-for": forwarded === undefined ? ip : `${forwarded}, ${ip}`,
        };
        if (keepKey) headers.authorization = `Bearer ${admin.key.token}`;
        const search = new URLSearchParams(params).toString();
        const response = await request.fetch(`${path}${search ? `?${search}` : ""}`, {
          method,
          headers,
          data: method === "GET" ? undefined : payload,
        });
        expect(response.status(), `${method} ${path}?${search}`).toBeLessThan(500);
        if (response.status() >= 400) {
          const error = await response.json();
          expect(error.errors[0].status).toBe(String(response.status()));
          expect(await snapshot(admin.tenantId), `${method} ${path} ${response.status()}`).toEqual(
            before,
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});

test.describe("names and descriptions", () => {
  const CONTROL = "cannot contain control or bidirectional formatting characters.";

  test("a lone surrogate, a control or a bidi character is a 400 with its reason; nothing is stored", async ({
    request,
  }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    const headers = { ...bearer(user.key.token), "content-type": "application/json" };
    const before = await snapshot(user.tenantId);
    // Bodies as JSON text: a lone surrogate exists only as an escape.
    const cases: [string, string, string, string, string][] = [
      [
        "POST",
        "/api/v1/api-keys",
        '{"description":"x\\ud800y"}',
        "/description",
        "The text at /description must be valid Unicode text: it holds a lone surrogate.",
      ],
      [
        "POST",
        "/api/v1/spaces",
        '{"name":"\\udfff"}',
        "/name",
        "The text at /name must be valid Unicode text: it holds a lone surrogate.",
      ],
      [
        "PATCH",
        `/api/v1/api-keys/${user.key.id}`,
        '[{"op":"replace","path":"/description","value":"a\\ud83d"}]',
        "/0/value",
        "The text at /0/value must be valid Unicode text: it holds a lone surrogate.",
      ],
      [
        "POST",
        "/api/v1/api-keys",
        '{"description":"abc\\u202egnp.exe"}',
        "/description",
        `Description ${CONTROL}`,
      ],
      [
        "POST",
        "/api/v1/api-keys",
        '{"description":"nul\\u0000"}',
        "/description",
        `Description ${CONTROL}`,
      ],
      [
        "PATCH",
        `/api/v1/api-keys/${user.key.id}`,
        '[{"op":"replace","path":"/description","value":"esc\\u001b[31m"}]',
        "/0/value",
        `Description ${CONTROL}`,
      ],
      ["POST", "/api/v1/spaces", '{"name":"isolate\\u2066x\\u2069"}', "/name", `name ${CONTROL}`],
      [
        "POST",
        "/api/v1/spaces",
        '{"name":"S","description":"x\\u202ey"}',
        "/description",
        `description ${CONTROL}`,
      ],
    ];
    for (const [method, path, data, pointer, detail] of cases) {
      const response = await request.fetch(path, { method, headers, data });
      expect(response.status(), `${method} ${path} ${data}`).toBe(400);
      const error = (await response.json()).errors[0];
      expect(error.detail, data).toBe(detail);
      expect(error.source, data).toEqual({ pointer });
    }
    expect(await snapshot(user.tenantId)).toEqual(before);
  });

  test("names are kept in NFC, so that one name typed two ways is one name", async ({
    request,
  }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    const headers = { ...bearer(user.key.token), "content-type": "application/json" };
    const key = await request.post("/api/v1/api-keys", {
      headers,
      data: '{"description":"Cafe\\u0301 \\ud83d\\udd11"}',
    });
    expect(key.status()).toBe(201);
    expect((await key.json()).description).toBe("Caf\u00e9 🔑");
    const first = await request.post("/api/v1/spaces", {
      headers,
      data: { name: "Re\u0301sume\u0301" },
    });
    expect(first.status()).toBe(201);
    expect((await first.json()).name).toBe("R\u00e9sum\u00e9");
    // The same name, composed: the tenant already has it.
    const second = await request.post("/api/v1/spaces", {
      headers,
      data: { name: "R\u00e9sum\u00e9" },
    });
    expect(second.status()).toBe(409);
  });
});
