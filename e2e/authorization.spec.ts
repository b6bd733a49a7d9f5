// The authorization matrix: every entry of e2e/authorization-registry.ts, called by every caller
// against Keyward's real server. An allowed caller goes through; any other is refused, and the
// refusal leaves both tenants exactly as they were. Anything in app/ missing from the registry fails.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  createTenant,
  createUser,
  e2eDb,
  insertKey,
  newHexId,
  tenantSnapshot,
  type TestUser,
} from "./fixtures";
import { clientAddress } from "./api-helpers";
import { actionResult, actionSucceeded, serverActions, type ServerAction } from "./server-actions";
import { CALLERS, REGISTRY, type Caller, type Entry, type Target } from "./authorization-registry";

const APP = path.join(__dirname, "..", "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every file under app/ with that name, as a path from the repository's root. */
function appFiles(name: string, dir = APP): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(name, full);
    return entry.name === name ? [path.relative(path.join(APP, ".."), full)] : [];
  });
}

/** The HTTP methods a route file exports, by name or destructured. */
function exportedMethods(file: string): string[] {
  const source = fs.readFileSync(path.join(APP, "..", file), "utf8");
  const named = [...source.matchAll(/export\s+(?:async\s+function|function|const)\s+([A-Z]+)\b/g)];
  const destructured = [...source.matchAll(/export\s+const\s+\{([^}]*)\}/g)].flatMap((match) =>
    match[1].split(",").map((name) => name.trim()),
  );
  return [...named.map((match) => match[1]), ...destructured].filter((name) =>
    METHODS.includes(name),
  );
}

/**
 * The server actions' names: every exported function of a "use server" file, written as one or
 * made by lib/actions/define-action.ts (such a file exports nothing else but types).
 */
function actionNames(): string[] {
  return appFiles("actions.ts").flatMap((file) => {
    const source = fs.readFileSync(path.join(APP, "..", file), "utf8");
    if (!/^\s*["']use server["']/.test(source)) return [];
    return [...source.matchAll(/export\s+(?:async\s+function\s+(\w+)|const\s+(\w+)\s*=)/g)].map(
      (match) => match[1] ?? match[2],
    );
  });
}

test("the registry lists every route and method, every page and every server action, once", () => {
  const listed = REGISTRY.map((entry) =>
    entry.kind === "route" ? `${entry.method} ${entry.source}` : `${entry.kind} ${entry.source}`,
  );
  const present = [
    ...appFiles("route.ts").flatMap((file) =>
      exportedMethods(file).map((method) => `${method} ${file}`),
    ),
    ...appFiles("page.tsx").map((file) => `page ${file}`),
    ...actionNames().map((name) => `action ${name}`),
  ];
  // Auth.js's route is listed once per method, for two of its endpoints.
  expect([...new Set(listed)].sort()).toEqual([...new Set(present)].sort());
  const actions = serverActions().map((action) => action.name);
  expect(actions.sort()).toEqual(actionNames().sort());
});

/** A session cookie for `user`, signed in through Auth.js's own endpoint. */
async function sessionCookie(base: string, user: TestUser): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookies.join("; "),
      "x-forwarded-for": clientAddress(),
    },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password }),
  });
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .find((cookie) => cookie.includes("session-token"));
  if (!session) throw new Error(`signing in as ${user.email} failed`);
  return session;
}

type Outcome = "allowed" | "refused";

interface World {
  base: string;
  tenantIds: string[];
  tenantId: string;
  developer: TestUser;
  spaceId: string;
  eventId: string;
  credentials: Map<Caller, Record<string, string>>;
  /** Signs the callers in and makes their keys again, after a call that ended or deleted them. */
  renew(): Promise<void>;
}

async function buildWorld(base: string): Promise<World> {
  const slugA = await createTenant();
  const slugB = await createTenant();
  const noRole = await createUser(slugA);
  const developer = await createUser(slugA, { developer: true });
  const tenantAdmin = await createUser(slugA, { admin: true });
  const adminDeveloper = await createUser(slugA, { admin: true, developer: true });
  const otherTenantAdmin = await createUser(slugB, { admin: true, developer: true });
  const disabled = await createUser(slugA, { admin: true, developer: true });
  const tenantIds = [developer.tenantId, otherTenantAdmin.tenantId];
  const credentials = new Map<Caller, Record<string, string>>();
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const renew = async () => {
    credentials.set("anonymous", {});
    for (const [caller, user] of [
      ["noRole", noRole],
      ["developer", developer],
      ["tenantAdmin", tenantAdmin],
      ["otherTenantAdmin", otherTenantAdmin],
    ] as const) {
      credentials.set(caller, { cookie: await sessionCookie(base, user) });
    }
    credentials.set("developerKey", bearer((await insertKey(developer)).token));
    credentials.set("tenantAdminKey", bearer((await insertKey(adminDeveloper)).token));
    credentials.set("noRoleKey", bearer((await insertKey(noRole)).token));
    credentials.set("revokedKey", bearer((await insertKey(developer, { revoked: true })).token));
  };
  await renew();

  // The disabled user signed in before an admin disabled them, through the console's own action.
  const disabledCookie = await sessionCookie(base, disabled);
  credentials.set("disabledUser", { cookie: disabledCookie });
  const disable = await callAction(base, credentials.get("tenantAdmin")!, "updateUserDisabled", [
    disabled.id,
    true,
  ]);
  expect(disable.outcome).toBe("allowed");

  const created = await send(base, credentials.get("developerKey")!, "POST", "/api/v1/spaces", {
    name: "Matrix space",
  });
  expect(created.status).toBe(201);
  const spaceId = ((await created.json()) as { id: string }).id;
  const event = await e2eDb().auditEvent.findFirstOrThrow({
    where: { tenantId: developer.tenantId },
    select: { id: true },
  });
  return {
    base,
    tenantIds,
    tenantId: developer.tenantId,
    developer,
    spaceId,
    eventId: event.id,
    credentials,
    renew,
  };
}

function send(
  base: string,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    redirect: "manual",
    headers: {
      ...headers,
      // The console's own origin: cookie callers' writes are refused without it.
      origin: base,
      "x-forwarded-for": clientAddress(),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let actions: ServerAction[] | undefined;

async function callAction(
  base: string,
  headers: Record<string, string>,
  name: string,
  args: unknown,
): Promise<{ status: number; outcome: Outcome; detail: string }> {
  actions ??= serverActions();
  const action = actions.find((candidate) => candidate.name === name);
  if (!action) throw new Error(`no server action ${name} in the build`);
  let body: BodyInit;
  let type: string;
  if (Array.isArray(args)) {
    body = JSON.stringify(args);
    type = "text/plain;charset=UTF-8";
  } else {
    // A form's fields, as the sign-in page posts them: the fields under `_1_`, then the
    // arguments, its state first. React reads the arguments as they arrive, so the fields go first.
    const form = new FormData();
    for (const [field, value] of Object.entries(args as Record<string, string>)) {
      form.set(`_1_${field}`, value);
    }
    form.set("0", JSON.stringify(["$undefined", "$K1"]));
    const encoded = new Response(form);
    body = Buffer.from(await encoded.arrayBuffer());
    type = encoded.headers.get("content-type")!;
  }
  const response = await fetch(`${base}${action.page}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...headers,
      accept: "text/x-component",
      origin: base,
      "next-action": action.id,
      "content-type": type,
      "x-forwarded-for": clientAddress(),
    },
    body,
  });
  const text = await response.text();
  const answer = actionResult(text);
  const succeeded = actionSucceeded(
    { status: () => response.status, headers: () => Object.fromEntries(response.headers) } as never,
    text,
  );
  return {
    status: response.status,
    outcome: succeeded ? "allowed" : "refused",
    // The action's own answer where there is one; a page rendered with it can be long.
    detail: (answer ? JSON.stringify(answer) : text).slice(0, 300),
  };
}

/** How a route or page answered: through, refused, or something the matrix does not expect. */
function routeOutcome(response: Response): Outcome | "unexpected" {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.get("location") ?? "";
    return /^(https?:\/\/[^/]+)?\/(login|logout\/ended)([/?#]|$)/.test(location)
      ? "refused"
      : "allowed";
  }
  if (status < 300) return "allowed";
  if ([401, 403, 404, 405].includes(status)) return "refused";
  return "unexpected";
}

async function attempt(world: World, entry: Entry, caller: Caller, target: Target) {
  const headers = world.credentials.get(caller)!;
  const { path: url, body } = entry.call(target);
  if (entry.kind === "action") {
    const result = await callAction(world.base, headers, entry.source, body);
    const passed = result.status < 300 && entry.passedWhen?.test(result.detail);
    return passed ? { ...result, outcome: "allowed" as const } : result;
  }
  const method = entry.method ?? "GET";
  if (entry.source.includes("[...nextauth]") && method === "POST") {
    // Auth.js takes a form with its CSRF token, not JSON.
    const response = await fetch(`${world.base}${url}`, {
      method,
      redirect: "manual",
      headers: {
        ...headers,
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": clientAddress(),
      },
      body: new URLSearchParams(body as Record<string, string>),
    });
    return { status: response.status, outcome: routeOutcome(response), detail: "" };
  }
  const response = await send(world.base, headers, method, url, body);
  const detail = (await response.text()).slice(0, 300);
  return { status: response.status, outcome: routeOutcome(response), detail };
}

async function freshTarget(world: World): Promise<Target> {
  const userId = newHexId().slice(0, 24);
  await e2eDb().user.create({
    data: {
      id: userId,
      tenantId: world.tenantId,
      email: `matrix-${userId}@keyward.test`,
      name: `Matrix ${userId.slice(0, 6)}`,
      passwordHash: "not-a-password",
    },
  });
  const invitedUserId = newHexId().slice(0, 24);
  await e2eDb().user.create({
    data: {
      id: invitedUserId,
      tenantId: world.tenantId,
      email: `matrix-invited-${invitedUserId}@keyward.test`,
      name: `Invited ${invitedUserId.slice(0, 6)}`,
      passwordHash: "",
      invitedAt: new Date(),
    },
  });
  // One target key at a time: over a thousand calls must not reach the limit on active keys.
  await e2eDb().apiKey.deleteMany({
    where: { ownerId: world.developer.id, description: "Matrix target" },
  });
  const key = await insertKey(world.developer, { description: "Matrix target" });
  return {
    tenantId: world.tenantId,
    keyId: key.id,
    userId,
    invitedUserId,
    spaceId: world.spaceId,
    eventId: world.eventId,
  };
}

test("every caller is let through exactly where its rule allows, and a refusal changes nothing", async ({
  baseURL,
}) => {
  test.setTimeout(900_000);
  const world = await buildWorld(new URL(baseURL!).origin);
  const problems: string[] = [];
  let calls = 0;
  for (const entry of REGISTRY) {
    const label = entry.kind === "route" ? `${entry.method} ${entry.source}` : entry.source;
    for (const caller of CALLERS) {
      const target = await freshTarget(world);
      const before = await tenantSnapshot(world.tenantIds);
      const result = await attempt(world, entry, caller, target);
      calls++;
      const expected = entry.allowed === "public" || entry.allowed.includes(caller);
      const where = `${label} as ${caller}: ${result.status} ${result.detail.slice(0, 160)}`;
      if (result.status >= 500) problems.push(`5xx: ${where}`);
      else if (result.outcome === "unexpected") problems.push(`unexpected answer: ${where}`);
      else if (entry.allowed !== "public" && expected && result.outcome !== "allowed") {
        problems.push(`refused, but the rule allows it: ${where}`);
      } else if (!expected && result.outcome !== "refused") {
        problems.push(`let through, but the rule refuses it: ${where}`);
      }
      const spoiled = entry.endsOwnSession || entry.source === "deleteAllKeysAction";
      if (!expected || (entry.allowed === "public" && !spoiled)) {
        const after = await tenantSnapshot(world.tenantIds);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          problems.push(`changed something: ${where}`);
        }
      }
      if (spoiled && result.outcome === "allowed") await world.renew();
    }
  }
  expect(problems, `${problems.length} of ${calls} calls broke their rule`).toEqual([]);
  expect(calls).toBe(REGISTRY.length * CALLERS.length);
});
