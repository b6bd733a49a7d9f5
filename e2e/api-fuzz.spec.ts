import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { e2eDb } from "./fixtures";
import { clientAddress, createTenant, userWithKey } from "./api-helpers";

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
const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constant('[{"op":"replace","path":"/description","value":null}]'),
  fc.constant('{"description":""}'),
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
