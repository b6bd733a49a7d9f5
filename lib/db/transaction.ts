import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "./index";

function isRetryable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // Unique conflict on the audit chain's (tenantId, seq), or a serialization failure.
    return (
      error.code === "P2034" ||
      (error.code === "P2002" && String(error.meta?.target ?? "").includes("seq"))
    );
  }
  const message = error instanceof Error ? error.message : "";
  return /SQLITE_BUSY|database is locked|could not serialize/i.test(message);
}

/** A transaction that is retried a few times when a concurrent writer got there first. */
export async function withTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
    } catch (error) {
      if (attempt >= 4 || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}

/**
 * Takes the write lock on one row for the rest of the transaction, so that a read-check-insert
 * (the active-key limit, the audit chain) cannot interleave with another. Portable SQL: on SQLite
 * the first write takes the database's write lock, on PostgreSQL it locks the row.
 */
export async function lockRow(tx: Tx, table: "User" | "Tenant", id: string): Promise<void> {
  if (table === "User") {
    await tx.$executeRaw`UPDATE "User" SET "updatedAt" = "updatedAt" WHERE "id" = ${id}`;
  } else {
    await tx.$executeRaw`UPDATE "Tenant" SET "updatedAt" = "updatedAt" WHERE "id" = ${id}`;
  }
}
