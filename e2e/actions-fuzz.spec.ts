import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { createUser, insertKey, newHexId, tenantSnapshot } from "./fixtures";
import { clientAddress, createTenant } from "./api-helpers";
import { actionSucceeded, serverActions, signInApi, type ServerAction } from "./server-actions";

/** A multipart/form-data body as a browser writes it. */
function multipart(fields: [string, string][], boundary: string): Buffer {
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join("")}--${boundary}--\r\n`);
}

test("no server action call, however malformed, causes a 5xx; a refused one changes nothing", async ({
  request,
  baseURL,
}) => {
  test.setTimeout(600_000);
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true, developer: true });
  const colleague = await createUser(slug, { developer: true });
  const ownKey = await insertKey(admin);
  const colleagueKey = await insertKey(colleague);
  await signInApi(request, admin);
  const actions = serverActions();
  expect(actions.map((action) => action.name)).toEqual(
    expect.arrayContaining([
      "generateKeyAction",
      "renameKeyAction",
      "deleteKeyAction",
      "deleteAllKeysAction",
      "revokeSelectedKeys",
      "saveApiKeySettings",
      "updateUserRoles",
      "updateUserDisabled",
      "signInAction",
      "signOutAction",
      "saveSsoSettings",
      "disconnectSso",
      "startSsoSignIn",
    ]),
  );
  const origin = new URL(baseURL!).origin;

  // Values near the ones Keyward's pages send, and the ones a hand-written call might.
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constantFrom(
      "x\ud800y",
      "\udfff",
      "abc\u202egnp.exe",
      "nul\u0000",
      "line\nbreak",
      "Cafe\u0301",
      "P7D",
      "PT1H",
      "P9999999Y",
      "",
      "   ",
      "x".repeat(300),
      ownKey.id,
      colleagueKey.id,
      admin.id,
      colleague.id,
      newHexId(),
      // React's references, sent raw: only `$$` is how the page escapes a `$`.
      "$$literal",
      "$undefined",
      "$K1",
      "$@1",
      "$Q1",
      "$W1",
      "$T",
      "$h1",
      "$1",
      "$D2026-01-01",
      "$n123",
      "$nxyz",
      "$Infinity",
      "$NaN",
      "$i1",
      "$R1",
      "$A1",
      "$Z",
    ),
  );
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(
        fc.constantFrom(
          "description",
          "expiry",
          "developer",
          "tenantAdmin",
          "apiKeysEnabled",
          "maxApiKeyExpiry",
          "maxKeysPerUser",
          "issuer",
          "clientId",
          "clientSecret",
          "domains",
          "developerGroups",
          "required",
          "breakGlassUserId",
          "__proto__",
          "x",
        ),
        tie("value"),
        { maxKeys: 4 },
      ),
    ),
  })).value;
  const args = fc.array(value, { maxLength: 4 });
  const deep = fc
    .integer({ min: 1, max: 5000 })
    .map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`);
  const textBody = fc.oneof(
    { weight: 6, arbitrary: args.map((list) => JSON.stringify(list)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.jsonValue().map((json) => JSON.stringify(json)) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(new Array(1001).fill(0))) },
    { weight: 1, arbitrary: fc.constant("x".repeat(1024 * 1024 + 1)) },
  );
  const formFields = fc.array(
    fc.tuple(
      fc.constantFrom(
        "email",
        "password",
        "callbackUrl",
        "current",
        "confirm",
        "token",
        "_1_email",
        "_1_password",
        "_1_current",
        "_1_token",
        "1_email",
        "0",
        "x",
        "$ACTION_KEY",
      ),
      text,
    ),
    { maxLength: 4 },
  );

  /** `form`: posted without script, answered with the page's HTML, which does not tell the outcome. */
  type Call = { headers: Record<string, string>; body: string | Buffer; form?: boolean };
  const call = (action: ServerAction) =>
    fc.oneof(
      // From the page's script: Next-Action and a text body (encodeReply's string form).
      textBody.map((body): Call => ({
        headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8" },
        body,
      })),
      // From the page's script with FormData among the arguments (multipart).
      // The page sends the fields first and the arguments last; both orders are tried.
      fc
        .tuple(args, formFields, fc.constantFrom("first", "last", "none"))
        .map(([list, fields, root]): Call => {
          const boundary = "----KeywardFuzz";
          const rows: [string, string][] = root === "none" ? [] : [["0", JSON.stringify(list)]];
          return {
            headers: {
              "next-action": action.id,
              "content-type": `multipart/form-data; boundary=${boundary}`,
            },
            body: multipart(
              root === "first" ? [...rows, ...fields] : [...fields, ...rows],
              boundary,
            ),
          };
        }),
      // A form posted without script: its action in $ACTION_ID_ or $ACTION_REF_ fields.
      fc
        .tuple(
          formFields,
          fc.boolean(),
          args,
          fc.constantFrom('"$@1"', "null", '"$@9"', "5", '"x"'),
        )
        .map(([fields, byRef, bound, boundRef]): Call => {
          const boundary = "----KeywardForm";
          const own: [string, string][] = byRef
            ? [
                ["$ACTION_REF_1", ""],
                ["$ACTION_1:0", `{"id":"${action.id}","bound":${boundRef}}`],
                ["$ACTION_1:1", JSON.stringify(bound)],
              ]
            : [[`$ACTION_ID_${action.id}`, ""]];
          return {
            headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
            body: multipart([...own, ...fields], boundary),
            form: true,
          };
        }),
      // Broken multipart: no boundary, or a body that ends early.
      fc.constantFrom<Call>(
        {
          headers: { "next-action": action.id, "content-type": "multipart/form-data" },
          body: "--x\r\n",
        },
        {
          headers: { "next-action": action.id, "content-type": "multipart/form-data; boundary=x" },
          body: '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]',
        },
        { headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\nbroken" },
      ),
    );
  const originHeader = fc.oneof(
    { weight: 8, arbitrary: fc.constant(origin) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "null", "https://evil.example", "garbage") },
  );

  let before = await tenantSnapshot([admin.tenantId]);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...actions).chain((action) => fc.tuple(fc.constant(action), call(action))),
      originHeader,
      async ([action, { headers, body, form }], originValue) => {
        const response = await request.post(action.page, {
          headers: {
            accept: "text/x-component",
            "x-forwarded-for": clientAddress(),
            ...(originValue === undefined ? {} : { origin: originValue }),
            ...headers,
          },
          data: body,
          maxRedirects: 0,
        });
        const answer = await response.text();
        const label = `${action.name} ${response.status()} ${answer.slice(0, 200)}`;
        expect(response.status(), label).toBeLessThan(500);
        const after = await tenantSnapshot([admin.tenantId]);
        const passed = form ? response.status() < 400 : actionSucceeded(response, answer);
        if (passed) before = after;
        else expect(after, label).toEqual(before);
        // A call of signOutAction that went through ends the session: sign in again.
        if ((await request.get("/api/v1/users/me")).status() !== 200) {
          await signInApi(request, admin);
          before = await tenantSnapshot([admin.tenantId]);
        }
      },
    ),
    { numRuns: 300 },
  );
});
