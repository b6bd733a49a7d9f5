import "server-only";
import { isDatabaseRefusal } from "@/lib/db/errors";
import { db } from "@/lib/db";

/**
 * Takes the named lease until `now + ms` if it is free (ended or never taken): one conditional
 * update, which the database applies to one writer at a time on either engine, so that two
 * instances never both hold it.
 */
export async function acquireLease(name: string, holder: string, ms: number): Promise<boolean> {
  const now = new Date();
  try {
    await db.jobLease.create({ data: { name, holder: "", leaseUntil: new Date(0) } });
  } catch (error) {
    // Another instance made the row first: it is there, which is all this needs.
    if (!isDatabaseRefusal(error, "P2002")) throw error;
  }
  const taken = await db.jobLease.updateMany({
    where: { name, leaseUntil: { lte: now } },
    data: { holder, leaseUntil: new Date(now.getTime() + ms) },
  });
  return taken.count === 1;
}

/** Gives the lease back early, if it is still this holder's. */
export async function releaseLease(name: string, holder: string): Promise<void> {
  await db.jobLease.updateMany({ where: { name, holder }, data: { leaseUntil: new Date(0) } });
}
