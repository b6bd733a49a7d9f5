import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { KeyCredentialRow } from "@/lib/api-keys/credential";
import type { SessionRow } from "@/lib/auth/session-row";
import type { KeySearchPage, KeySearchParams } from "@/lib/api-keys/key-search";
import type { UserRow } from "@/lib/users/user-row";
import { createPrismaClient } from "./client";
import { dialect, loadedDialect, type UsageCount } from "./dialect";

export type { UsageCount };

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as {
  keywardPrisma?: PrismaClient;
  keywardBeforeClose?: (() => Promise<void>)[];
  keywardShutdown?: () => Promise<void>;
};

/** The one Prisma client of the process, for DATABASE_URL's engine. */
export const db: PrismaClient = globalForDb.keywardPrisma ?? createPrismaClient();
globalForDb.keywardPrisma = db;

/** Ends every connection of the process (Prisma's and the engine's own), so that a script can exit. */
export async function closeDatabase(): Promise<void> {
  await loadedDialect()?.close();
  await db.$disconnect();
}

const beforeClose = (globalForDb.keywardBeforeClose ??= []);

/** Work that must reach the database before the server closes it at shutdown (the usage counts). */
export function beforeDatabaseCloses(work: () => Promise<void>): void {
  if (!beforeClose.includes(work)) beforeClose.push(work);
}

// What Keyward's server (scripts/server.mjs) awaits once its last request is answered. On
// globalThis, as the server script cannot import this module and Next's bundles each load a copy.
globalForDb.keywardShutdown ??= async () => {
  for (const work of beforeClose) await work();
  await closeDatabase();
};

/** A prepared-statement ping through the driver itself: the cheapest honest database check. */
export async function pingDatabase(): Promise<void> {
  return (await dialect()).ping();
}

/** A key by its token's digest, with owner and tenant: fresh, or kept only while nothing changed. */
export async function findKeyCredential(digest: string): Promise<KeyCredentialRow | null> {
  return (await dialect()).findKeyCredential(digest);
}

/** A user by ID with the tenant's name: fresh, or kept only while nothing changed. */
export async function findUserById(id: string): Promise<UserRow | null> {
  return (await dialect()).findUserById(id);
}

/** A session by ID with its user: fresh, or kept only while nothing changed. */
export async function findSessionById(id: string): Promise<SessionRow | null> {
  return (await dialect()).findSessionById(id);
}

export async function searchApiKeyRows(
  params: KeySearchParams,
  countCap: number,
): Promise<KeySearchPage> {
  return (await dialect()).searchApiKeys(params, countCap);
}

/** Adds counts to the usage buckets; false when the database was busy and nothing was written. */
export async function writeUsage(counts: UsageCount[]): Promise<boolean> {
  return (await dialect()).writeUsage(counts);
}

/** The same at exit, synchronously; false where the engine cannot (the counts stay unwritten). */
export function writeUsageSync(counts: UsageCount[]): boolean {
  return loadedDialect()?.writeUsageSync(counts) ?? false;
}
