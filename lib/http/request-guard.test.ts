import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stampPublicOrigin } from "./public-origin-rule.mjs";
import { guardRequests } from "./request-guard.mjs";

/** React's own encoder of a call's arguments, as the page's script runs it (Next.js's copy). */
const { encodeReply } = createRequire(import.meta.url)(
  "next/dist/compiled/react-server-dom-turbopack/client.node",
) as { encodeReply: (args: unknown[]) => Promise<string | FormData> };

const ACTION_ID = "40025db30d51cb08d0e6f931d303794714159467b0";
let server: http.Server;
let base: string;

beforeAll(async () => {
  // Stands in for Next.js: says what reached it, and the body the guard read for it.
  const next = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const meta = (request as unknown as Record<symbol, { actionBody?: Buffer } | undefined>)[
      Symbol.for("NextInternalRequestMeta")
    ];
    response.end(`next: ${meta?.actionBody?.length ?? "unread"}`);
  };
  // As Keyward's server runs it: the public origin decided first (no proxy trusted here).
  const guarded = guardRequests(next);
  server = http.createServer((request, response) => {
    stampPublicOrigin(request, () => false);
    return guarded(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A call from a page's script: the arguments as React's own encodeReply writes them. */
async function call(args: unknown[], headers: Record<string, string> = {}) {
  const encoded = await encodeReply(args);
  const request =
    typeof encoded === "string"
      ? new Request(base, {
          method: "POST",
          body: encoded,
          headers: { "content-type": "text/plain;charset=UTF-8" },
        })
      : new Request(base, { method: "POST", body: encoded });
  return send(
    {
      "content-type": request.headers.get("content-type")!,
      "next-action": ACTION_ID,
      origin: base,
      ...headers,
    },
    await request.arrayBuffer(),
  );
}

async function send(headers: Record<string, string>, body: BodyInit, path = "/profile") {
  const response = await fetch(`${base}${path}`, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

describe("server action calls", () => {
  it("hands on whatever React encodes of plain values, with the body read", async () => {
    const form = new FormData();
    form.append("email", "dev@acme.test");
    form.append("callbackUrl", "/admin");
    for (const args of [
      [],
      [{ description: "$5 key", expiry: null }],
      [["a", "b"], 0, -0, NaN, Infinity, undefined, new Date(0), BigInt(12), true],
      [{}, form],
    ]) {
      const answer = await call(args);
      expect(answer.text, String(args)).toMatch(/^next: \d+$/);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ depthSize: "small" }), { maxLength: 5 }),
        async (args) => {
          expect((await call(args)).text).toMatch(/^next: \d+$/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses another site's Origin with 403, as Next.js would but without its 500", async () => {
    for (const origin of ["https://evil.example", "null", "not a url"]) {
      const answer = await call([], { origin });
      expect(answer.status).toBe(403);
    }
    // Without an Origin (no browser sends a call so), Next.js decides.
    expect(
      (await send({ "next-action": ACTION_ID, "content-type": "text/plain" }, "[]")).text,
    ).toBe("next: 2");
  });

  it("refuses a body over 1 MB with 413, declared or sent", async () => {
    const large = new Uint8Array(1024 * 1024 + 1).fill(120).buffer;
    const headers = { "next-action": ACTION_ID, origin: base, "content-type": "text/plain" };
    expect((await send(headers, large)).status).toBe(413);
    const chunked = await fetch(`${base}/profile`, {
      method: "POST",
      headers,
      body: new Blob([large]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("refuses what React could not decode with 400 and its reason", async () => {
    const headers = { "next-action": ACTION_ID, origin: base, "content-type": "text/plain" };
    for (const [body, reason] of [
      ["{", "part 0 of the arguments is not valid JSON"],
      ['"text"', "the arguments are not a JSON array"],
      ['["$@1"]', '"$@1" is a reference this server does not take'],
      ['[{"a":["$T"]}]', '"$T" is a reference this server does not take'],
      ['["$n1e3"]', '"$n1e3" is a reference this server does not take'],
      [`[${"[".repeat(70)}${"]".repeat(70)}]`, "the arguments are nested deeper than 64 levels"],
    ]) {
      const answer = await send(headers, body);
      expect(answer.status, body).toBe(400);
      expect(answer.text).toBe(`This server action request is malformed: ${reason}.\n`);
    }
    const multipart = { ...headers, "content-type": "multipart/form-data; boundary=b" };
    expect((await send(multipart, "--b\r\nbroken")).status).toBe(400);
    const noRoot = '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n';
    expect((await send(multipart, noRoot)).text).toContain("part 0 of the arguments is missing");
  });

  it("checks a form posted without script: its action's descriptor and bound arguments", async () => {
    const form = (fields: [string, string][]) => {
      const boundary = "----KeywardBoundary";
      const parts = fields.map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
      return send(
        { origin: base, "content-type": `multipart/form-data; boundary=${boundary}` },
        `${parts.join("")}--${boundary}--\r\n`,
      );
    };
    const descriptor = `{"id":"${ACTION_ID}","bound":"$@1"}`;
    const good = await form([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", descriptor],
      ["$ACTION_1:1", "[{}]"],
      ["$ACTION_KEY", "k0"],
      ["email", "dev@acme.test"],
    ]);
    expect(good.text).toMatch(/^next: \d+$/);
    expect((await form([[`$ACTION_ID_${ACTION_ID}`, ""]])).text).toMatch(/^next: \d+$/);
    for (const fields of [
      [["$ACTION_REF_1", ""]],
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", descriptor],
      ],
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", descriptor],
        ["$ACTION_1:1", "null"],
      ],
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", `{"id":"${ACTION_ID}"}`],
      ],
      [
        ["$ACTION_REF_1", ""],
        ["$ACTION_1:0", `{"id":"${ACTION_ID}","bound":null,"x":"$Q2"}`],
      ],
    ] as [string, string][][]) {
      expect((await form(fields)).status, JSON.stringify(fields)).toBe(400);
    }
  });

  it("leaves other posts, the API and its own bodies alone", async () => {
    expect((await send({ "content-type": "application/json" }, "{", "/api/v1/spaces")).text).toBe(
      "next: unread",
    );
    expect((await send({ "content-type": "text/plain" }, "{")).text).toBe("next: unread");
    const foreignForm = await send(
      { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      "a=1",
    );
    expect(foreignForm.status).toBe(403);
  });
});

describe("methods and paths", () => {
  it("refuses TRACE with 405, and a path that is no UTF-8 text with 400", async () => {
    const trace = await new Promise<http.IncomingMessage>((resolve) =>
      http.request(`${base}/api/v1/api-keys`, { method: "TRACE" }, resolve).end(),
    );
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    for (const path of ["/api/v1/api-keys/%ff", "/profile/%C0%80", "/x%zz"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(400);
    }
    expect(await (await fetch(`${base}/api/v1/spaces/caf%C3%A9?q=%ff`)).text()).toBe(
      "next: unread",
    );
  });
});
