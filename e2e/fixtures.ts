import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { crc32 } from "node:zlib";
import { hash } from "@node-rs/argon2";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { require as tsxRequire } from "tsx/cjs/api";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { freePort, stopServer, waitForHealth } from "../scripts/server-process";

/**
 * Playwright compiles TypeScript to CommonJS, where `import.meta` (in the generated Prisma client
 * and in database.mjs) cannot run; tsx compiles these modules as it does for Keyward's scripts.
 */
function load<Module>(id: string): Module {
  return tsxRequire(id, __filename) as Module;
}
const { createPrismaClient } = load<typeof import("../lib/db/client")>("../lib/db/client");
export const { e2eDatabaseUrl, freshE2eDatabase, dropE2eDatabase } =
  load<typeof import("./database.mjs")>("./database.mjs");

/**
 * Another Keyward instance on the suite's database, as a second machine behind the same balancer
 * would run it, with `env` on top (mail settings, a PORT of its own). Stop it with stopServer.
 */
export async function startSuiteInstance(
  env: Record<string, string> = {},
): Promise<{ server: ChildProcess; base: string }> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const server = spawn(process.execPath, [path.join(__dirname, "..", "scripts", "server.mjs")], {
    cwd: path.join(__dirname, ".."),
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: e2eDatabaseUrl(),
      AUTH_SECRET: process.env.AUTH_SECRET || "keyward-e2e-secret-not-for-production",
      PORT: String(port),
      KEYWARD_E2E: "1",
      KEYWARD_TRUSTED_PROXIES: "loopback",
      ...env,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, server, 120);
  } catch (error) {
    // Not left running after the test: nothing else would stop it.
    await stopServer(server);
    throw error;
  }
  return { server, base };
}

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "keyward-demo";

let client: PrismaClient | undefined;
/**
 * The e2e server's database (SQLite or PostgreSQL, as e2e/database.mjs decides for both), for
 * arranging what a test needs and checking what it left.
 */
export function e2eDb(): PrismaClient {
  client ??= createPrismaClient(e2eDatabaseUrl());
  return client;
}

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  tenantId: string;
}

/** A user of its own for one test, so that tests never fight over the demo accounts. */
export async function createUser(
  tenantSlug: string,
  roles: { admin?: boolean; developer?: boolean } = {},
): Promise<TestUser> {
  const tenant = await e2eDb().tenant.findUnique({
    where: { slug: tenantSlug },
    select: { id: true },
  });
  if (!tenant) throw new Error(`no tenant ${tenantSlug}`);
  const id = crypto.randomBytes(12).toString("hex");
  const email = `e2e-${id}@${tenantSlug}.test`;
  const password = `pw-${id}`;
  await e2eDb().user.create({
    data: {
      id,
      tenantId: tenant.id,
      email,
      name: `E2E ${id.slice(0, 6)}`,
      passwordHash: await hash(password),
      isTenantAdmin: roles.admin ?? false,
      isDeveloper: roles.developer ?? false,
    },
  });
  return { id, email, password, tenantId: tenant.id, name: `E2E ${id.slice(0, 6)}` };
}

/**
 * Signs out through the console's button and waits for the sign-in page: a next step taken before
 * the server has ended the session (opening /login, say) still finds the person signed in.
 */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * Does `act` (a click) until `shown` is visible. A click that lands before the page has hydrated,
 * or while a closing layer still holds the pointer, does nothing, and a person clicks again; on a
 * slow machine a test must too, or it fails on the machine's speed rather than on Keyward.
 */
export async function actUntilVisible(act: () => Promise<unknown>, shown: Locator): Promise<void> {
  await actUntil(act, shown, true);
}

/**
 * Does `act` (a key press) until `layer` is hidden. A dialog that has just opened takes focus in
 * one render and listens for Escape a render later; an Escape that lands in between does nothing,
 * and a person presses it again.
 */
export async function actUntilHidden(act: () => Promise<unknown>, layer: Locator): Promise<void> {
  await actUntil(act, layer, false);
}

async function actUntil(act: () => Promise<unknown>, target: Locator, visible: boolean) {
  await expect(async () => {
    if ((await target.isVisible()) !== visible) await act();
    if (visible) await expect(target).toBeVisible({ timeout: 2_000 });
    else await expect(target).toBeHidden({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Generates a key through Profile settings' `Generate new key` dialog, up to the key shown once. */
export async function generateThroughDialog(page: Page, description: string): Promise<void> {
  const dialog = page.getByRole("dialog", { name: "Generate new key" });
  await actUntilVisible(
    () => page.getByRole("button", { name: "Generate new key" }).click(),
    dialog,
  );
  await dialog.getByLabel("Description").fill(description);
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Copy your new API key" })).toBeVisible();
}

/** How Chromium reports in the console what a Content-Security-Policy or Permissions-Policy refused. */
export const POLICY_REFUSAL = /Content Security Policy|Refused to|Permissions-Policy/i;

/**
 * Every test's page is watched for refusals by Keyward's own policies (SPEC §9): a page that works
 * only where its scripts or styles are not refused is broken under them.
 */
export const test = base.extend({
  page: async ({ page }, provide) => {
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (POLICY_REFUSAL.test(message.text())) refusals.push(message.text());
    });
    page.on("pageerror", (error) => {
      if (POLICY_REFUSAL.test(error.message)) refusals.push(error.message);
    });
    await provide(page);
    expect(refusals, "refused by the page's policies").toEqual([]);
  },
});
export { expect };

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/** A token in Keyward's published format (SPEC §4), made independently of the app's code. */
export function makeToken(): string {
  let body = "kw_";
  for (const byte of crypto.randomBytes(64)) {
    if ((byte & 0x3f) < 62 && body.length < 35) body += BASE62[byte & 0x3f];
  }
  return body + base62(crc32(body), 6);
}

export function newHexId(): string {
  return crypto.randomBytes(12).toString("hex");
}

/** A tenant of the test's own, so that nothing it changes touches the demo tenants. */
export async function createTenant(apiKeysEnabled = true): Promise<string> {
  const id = newHexId();
  await e2eDb().tenant.create({
    data: {
      id,
      slug: `t-${id}`,
      name: `Tenant ${id.slice(0, 6)}`,
      apiKeysEnabled,
      maxApiKeyExpiry: "P90D",
      maxKeysPerUser: 1000,
    },
  });
  return `t-${id}`;
}

export interface TestKey {
  id: string;
  token: string;
}

/** Puts a key straight into the database (its digest only, as Keyward stores it). */
export async function insertKey(
  user: TestUser,
  options: { description?: string; createdAt?: Date; expiresAt?: Date; revoked?: boolean } = {},
): Promise<TestKey> {
  const token = makeToken();
  const id = newHexId();
  const createdAt = options.createdAt ?? new Date();
  await e2eDb().apiKey.create({
    data: {
      id,
      tenantId: user.tenantId,
      ownerId: user.id,
      description: options.description ?? `key ${id.slice(0, 6)}`,
      digest: crypto.createHash("sha256").update(token).digest("hex"),
      hint: `kw_…${token.slice(-4)}`,
      createdAt,
      updatedAt: createdAt,
      expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000),
      revokedAt: options.revoked ? new Date() : null,
    },
  });
  return { id, token };
}

/** No serious or critical axe violation on the page (or the part `include` selects). */
export async function expectNoSeriousViolations(page: Page, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

/** What a refused call must leave as it was in these tenants: their rows, sessions and events. */
export async function tenantSnapshot(tenantIds: string[]) {
  const db = e2eDb();
  const where = { tenantId: { in: tenantIds } };
  const rows = await Promise.all([
    db.tenant.findMany({ where: { id: { in: tenantIds } }, orderBy: { id: "asc" } }),
    db.apiKey.findMany({
      where,
      select: {
        id: true,
        ownerId: true,
        description: true,
        digest: true,
        updatedAt: true,
        expiresAt: true,
        revokedAt: true,
      },
      orderBy: { id: "asc" },
    }),
    db.user.findMany({ where, orderBy: { id: "asc" } }),
    db.session.findMany({
      where: { user: where },
      select: { id: true, endedAt: true },
      orderBy: { id: "asc" },
    }),
    db.space.findMany({ where, orderBy: { id: "asc" } }),
    db.tenantSso.findMany({ where, orderBy: { tenantId: "asc" } }),
    db.ssoDomain.findMany({ where, orderBy: { domain: "asc" } }),
    // A refused token is recorded (`api-key.validation.failed`): that is the refusal, no change.
    db.auditEvent.findMany({
      where: { ...where, eventType: { not: "api-key.validation.failed" } },
      select: { tenantId: true, seq: true, eventType: true, hash: true },
      orderBy: [{ tenantId: "asc" }, { seq: "asc" }],
    }),
  ]);
  return JSON.parse(JSON.stringify(rows)) as unknown;
}
