import "server-only";
import { Busy } from "@/lib/errors";
import { dialect } from "./dialect";
import { isDatabaseRefusal } from "./errors";
import { db, type Tx } from "./index";

const ATTEMPTS = 8;

/** A lost race that running again settles: a conflict on the audit chain's (tenantId, seq). */
function isChainConflict(error: unknown): boolean {
  return (
    isDatabaseRefusal(error, "P2034") ||
    (isDatabaseRefusal(error, "P2002") && String(error.meta?.target ?? "").includes("seq"))
  );
}

/**
 * A transaction that is run again, a bounded number of times, when a concurrent writer got there
 * first or the database was busy; past that, `Busy` (503), never an unexplained 500.
 */
export async function withTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const engine = await dialect();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(fn, { maxWait: 10_000, timeout: 20_000 });
    } catch (error) {
      const retryable = isChainConflict(error) || engine.isRetryable(error);
      if (!retryable) throw error;
      if (attempt >= ATTEMPTS) throw new Busy();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/**
 * Takes the write lock on one row for the rest of the transaction, so that a read-check-insert
 * (the active-key limit, the audit chain) cannot interleave with another, on any instance.
 */
export async function lockRow(tx: Tx, table: "User" | "Tenant", id: string): Promise<void> {
  return (await dialect()).lockRow(tx, table, id);
}
