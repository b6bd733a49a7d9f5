import crypto from "node:crypto";
import { crc32 } from "node:zlib";
import path from "node:path";
import Database from "better-sqlite3";
import { hash } from "@node-rs/argon2";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { sqliteTime } from "../lib/db/sqlite/time";

export { sqliteTime };

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "keyward-demo";
const E2E_DB = path.resolve(__dirname, "..", "data", `e2e-${process.env.E2E_PORT || "3100"}.db`);

let handle: Database.Database | undefined;
/** The e2e server's database, for arranging what a test needs and checking what it left. */
export function e2eDb(): Database.Database {
  handle ??= new Database(E2E_DB, { timeout: 5000 });
  return handle;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  tenantId: string;
}

/** A user of its own for one test, so that tests never fight over the demo accounts. */
export async function createUser(
  tenantSlug: string,
  roles: { admin?: boolean; developer?: boolean } = {},
): Promise<TestUser> {
  const db = e2eDb();
  const tenant = db.prepare("SELECT id FROM Tenant WHERE slug = ?").get(tenantSlug) as
    { id: string } | undefined;
  if (!tenant) throw new Error(`no tenant ${tenantSlug}`);
  const id = crypto.randomBytes(12).toString("hex");
  const email = `e2e-${id}@${tenantSlug}.test`;
  const password = `pw-${id}`;
  const now = sqliteTime(new Date());
  db.prepare(
    `INSERT INTO User (id, tenantId, email, name, passwordHash, isTenantAdmin, isDeveloper, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    tenant.id,
    email,
    `E2E ${id.slice(0, 6)}`,
    await hash(password),
    roles.admin ? 1 : 0,
    roles.developer ? 1 : 0,
    now,
    now,
  );
  return { id, email, password, tenantId: tenant.id };
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export const test = base;
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
export function createTenant(apiKeysEnabled = true): string {
  const id = newHexId();
  const now = sqliteTime(new Date());
  e2eDb()
    .prepare(
      `INSERT INTO Tenant (id, slug, name, apiKeysEnabled, maxApiKeyExpiry, maxKeysPerUser, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, 'P90D', 1000, ?, ?)`,
    )
    .run(id, `t-${id}`, `Tenant ${id.slice(0, 6)}`, apiKeysEnabled ? 1 : 0, now, now);
  return `t-${id}`;
}

export interface TestKey {
  id: string;
  token: string;
}

/** Puts a key straight into the database (its digest only, as Keyward stores it). */
export function insertKey(
  user: TestUser,
  options: { description?: string; createdAt?: Date; expiresAt?: Date; revoked?: boolean } = {},
): TestKey {
  const token = makeToken();
  const id = newHexId();
  const createdAt = options.createdAt ?? new Date();
  const expiresAt = options.expiresAt ?? new Date(Date.now() + 86_400_000);
  e2eDb()
    .prepare(
      `INSERT INTO ApiKey (id, tenantId, ownerId, description, digest, hint, createdAt, updatedAt, expiresAt, revokedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      user.tenantId,
      user.id,
      options.description ?? `key ${id.slice(0, 6)}`,
      crypto.createHash("sha256").update(token).digest("hex"),
      `kw_…${token.slice(-4)}`,
      sqliteTime(createdAt),
      sqliteTime(createdAt),
      sqliteTime(expiresAt),
      options.revoked ? sqliteTime(new Date()) : null,
    );
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
