import crypto from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { hash } from "@node-rs/argon2";
import { test as base, expect, type Page } from "@playwright/test";

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

/** A tenant of its own for one test, with API keys switched on. */
export function createTenant(settings: { maxKeysPerUser?: number } = {}): string {
  const id = crypto.randomBytes(12).toString("hex");
  const now = new Date().toISOString().replace("Z", "+00:00");
  e2eDb()
    .prepare(
      `INSERT INTO Tenant (id, slug, name, apiKeysEnabled, maxApiKeyExpiry, maxKeysPerUser, createdAt, updatedAt)
       VALUES (?, ?, ?, 1, 'P90D', ?, ?, ?)`,
    )
    .run(id, `e2e-${id}`, `E2E tenant ${id.slice(0, 6)}`, settings.maxKeysPerUser ?? 5, now, now);
  return `e2e-${id}`;
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
  const now = new Date().toISOString().replace("Z", "+00:00");
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
