import "server-only";
import { Pool } from "pg";
import { databaseUrl } from "../url";

const globalForPool = globalThis as unknown as { keywardPool?: Pool };

/**
 * The driver's own pool, beside Prisma's, for the per-request reads, the usage flush and the
 * rate-limit store: a prepared query here costs a fraction of an ORM round trip.
 */
export function pool(): Pool {
  if (!globalForPool.keywardPool) {
    const created = new Pool({ connectionString: databaseUrl(), max: 8 });
    // An idle client losing its server is replaced on the next query; it must not end the process.
    created.on("error", (error) => console.error("[keyward] PostgreSQL pool client failed", error));
    globalForPool.keywardPool = created;
  }
  return globalForPool.keywardPool;
}

export async function closePool(): Promise<void> {
  const open = globalForPool.keywardPool;
  globalForPool.keywardPool = undefined;
  await open?.end();
}
