import { describe, expect, it, vi } from "vitest";
import { createApiKey, revokeApiKeys } from "@/lib/api-keys/service";
import { generateApiKeyToken } from "@/lib/api-keys/token";
import { CLIENT_ADDRESS_HEADER } from "@/lib/auth/client-address-rule.mjs";
import { db } from "@/lib/db";
import { sharedLimiter } from "@/lib/db/rate-limit-store";
import { NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { apiRoute, json } from "./route";

// Sessions need Next.js's request scope (next-auth); every call here carries a key instead.
vi.mock("@/lib/auth/session", () => ({ getSession: async () => null }));

async function developerKey(): Promise<string> {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, { developer: true });
  return (await createApiKey(principalOf(user), { description: "route" })).token;
}

/** A key of its owner's that was revoked: a real key, refused like any unknown token. */
async function revokedKey(): Promise<{ id: string; token: string }> {
  const tenant = await createTenant();
  const owner = principalOf(await createUser(tenant.id, { admin: true, developer: true }));
  const { key, token } = await createApiKey(owner, { description: "revoked" });
  await revokeApiKeys(owner, [key.id]);
  return { id: key.id, token };
}

function refusalsAudited(apiKeyId: string): Promise<number> {
  return db.auditEvent.count({ where: { apiKeyId, eventType: "api-key.validation.failed" } });
}

function keyedRequest(token: string, path = "/api/v1/users/me", address = "10.1.2.3"): Request {
  return new Request(`http://localhost${path}`, {
    headers: { authorization: `Bearer ${token}`, [CLIENT_ADDRESS_HEADER]: address },
  });
}

/** An address of the test's own, so that refusal counts never cross tests. */
function newAddress(): string {
  const byte = () => Math.floor(Math.random() * 256);
  return `10.${byte()}.${byte()}.${byte()}`;
}

const noParams = {};

describe("apiRoute", () => {
  it("answers a valid key through the handler, with the key's owner as the principal", async () => {
    const token = await developerKey();
    const route = apiRoute((_request, principal) => json({ via: principal.via }));
    const response = await route(keyedRequest(token), noParams);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ via: "apiKey" });
  });

  it("lets a key make exactly its limit of requests, one point each, then answers 429", async () => {
    const token = await developerKey();
    const route = apiRoute(() => json({}));
    const statuses: number[] = [];
    // The default limit is 1,000 a minute; each request must take one point, leased or not.
    for (let i = 0; i < 1001; i++)
      statuses.push((await route(keyedRequest(token), noParams)).status);
    expect(statuses.slice(0, 1000).every((status) => status === 200)).toBe(true);
    expect(statuses[1000]).toBe(429);
  });

  it("turns a failure thrown at once, or a rejected promise, into the error body", async () => {
    const token = await developerKey();
    const thrown = apiRoute(() => {
      throw new NotFound("No such thing.");
    });
    const rejected = apiRoute(async () => {
      throw new NotFound("No such thing.");
    });
    for (const route of [thrown, rejected]) {
      const response = await route(keyedRequest(token), noParams);
      expect(response.status).toBe(404);
      const body = await response.json();
      expect(body.errors[0]).toMatchObject({ status: "404", detail: "No such thing." });
    }
  });

  it("hands the handler the route's parameters", async () => {
    const token = await developerKey();
    const route = apiRoute<{ id: string }>((_request, _principal, { id }) => json({ id }));
    const response = await route(keyedRequest(token), { params: Promise.resolve({ id: "abc" }) });
    expect(await response.json()).toEqual({ id: "abc" });
  });

  it("refuses a malformed key with 401 and a key in the query string with 400, before the handler", async () => {
    let calls = 0;
    const route = apiRoute(() => {
      calls += 1;
      return json({});
    });
    expect((await route(keyedRequest("kw_not-a-key"), noParams)).status).toBe(401);
    const token = await developerKey();
    const inUrl = await route(keyedRequest(token, `/api/v1/users/me?api_key=${token}`), noParams);
    expect(inUrl.status).toBe(400);
    expect((await inUrl.json()).errors[0].source).toEqual({ parameter: "api_key" });
    expect(calls).toBe(0);
  });
});

describe("apiRoute's refusal limit per address", () => {
  // The default budget: 30 refused tokens per address per minute.
  const BUDGET = 30;

  it("slows refused tokens from an address to 429, yet never refuses a valid key from it", async () => {
    const [token, revoked] = await Promise.all([developerKey(), revokedKey()]);
    const address = newAddress();
    const route = apiRoute(() => json({}));
    const ask = (bearer: string) => route(keyedRequest(bearer, undefined, address), noParams);
    const statuses: number[] = [];
    for (let i = 0; i < BUDGET; i++)
      statuses.push(
        (await ask([generateApiKeyToken(), "kw_not-a-key", revoked.token][i % 3])).status,
      );
    expect(statuses).toEqual(Array(BUDGET).fill(401));
    expect(await refusalsAudited(revoked.id)).toBe(BUDGET / 3);
    // The count is kept in the shared store: another instance sees the address spent.
    const otherInstance = await sharedLimiter({
      keyPrefix: "fail",
      points: BUDGET,
      durationSeconds: 60,
    });
    expect((await otherInstance.get(address))?.consumedPoints).toBe(BUDGET);
    expect((await ask(generateApiKeyToken())).status).toBe(429);

    expect((await ask(token)).status).toBe(200);
    // Over its budget, every token that would be refused gets the same 429, whatever the cause,
    // and a flood of a revoked key's calls no longer reaches the audit log.
    for (const refused of ["kw_not-a-key", generateApiKeyToken(), revoked.token]) {
      const response = await ask(refused);
      expect(response.status, refused).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await response.json()).errors[0].code).toBe("HTTP-429");
    }
    expect(await refusalsAudited(revoked.id)).toBe(BUDGET / 3);
    expect((await ask(token)).status).toBe(200);
    // Another address still has its whole budget.
    expect((await route(keyedRequest(generateApiKeyToken()), noParams)).status).toBe(401);
  });
});

describe("json", () => {
  it("answers with the body, status, JSON type and no-store", async () => {
    const response = json({ roles: [{ name: "Developer" }] }, 201, { location: "/x" });
    expect(await response.json()).toEqual({ roles: [{ name: "Developer" }] });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("location")).toBe("/x");
  });
});
