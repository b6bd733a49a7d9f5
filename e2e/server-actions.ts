// Keyward's server actions as Next.js receives them: a POST to a page, with the action's ID in
// the `Next-Action` header, as the page's script sends it.
import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import type { TestUser } from "./fixtures";
import { clientAddress } from "./api-helpers";

export interface ServerAction {
  id: string;
  name: string;
  /** A page that offers it, where the page's script posts its calls. */
  page: string;
}

/**
 * Every server action of the build the suite serves, as a page's script calls it: by the ID its
 * `Next-Action` header carries, posted to a page that offers it.
 */
export function serverActions(): ServerAction[] {
  const file = path.join(__dirname, "..", ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
    node: Record<string, { exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    // "app/(console)/admin/users/page" → "/admin/users"
    // A page without a dynamic segment: `/profile/api-keys/[id]` taken literally is no key's page,
    // and its 404 would hide that the action itself ran.
    const workers = Object.keys(entry.workers);
    const worker = workers.find((name) => !name.includes("[")) ?? workers[0];
    const page = worker
      .replace(/^app/, "")
      .replace(/\/\([^)]*\)/g, "")
      .replace(/\/page$/, "");
    return { id, name: entry.exportedName, page: page || "/" };
  });
}

/** Signs `user` in on `request`'s cookie jar, through Auth.js's own endpoint. */
export async function signInApi(request: APIRequestContext, user: TestUser): Promise<void> {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: user.email, password: user.password },
    headers: { "x-forwarded-for": clientAddress() },
    maxRedirects: 0,
  });
  expect((await request.get("/api/v1/users/me")).status()).toBe(200);
}

/** A call's result: Next.js answers it in the row that the first row's `"a"` names. */
export function actionResult(body: string): Record<string, unknown> | null {
  const row = /"a":"\$@([0-9a-f]+)"/.exec(body)?.[1];
  const line = row && new RegExp(`(?:^|\\n)${row}:(\\{.*)`).exec(body)?.[1];
  return line ? (JSON.parse(line) as Record<string, unknown>) : null;
}

/** Whether the call went through: a redirect, or an ActionResult with `ok: true`. */
export function actionSucceeded(response: APIResponse, body: string): boolean {
  if (response.status() >= 400) return false;
  if (response.headers()["x-action-redirect"]) return true;
  return actionResult(body)?.ok === true;
}

/** The action of that name; the suite's server is built before any test runs. */
export function serverAction(name: string): ServerAction {
  const action = serverActions().find((candidate) => candidate.name === name);
  if (!action) throw new Error(`no server action ${name}`);
  return action;
}
