import "server-only";
import { db } from "@/lib/db";
import { eventHash, GENESIS_HASH } from "./chain";

const BATCH_SIZE = 2000;

/** The first place where a tenant's log no longer matches its own hash chain. */
export interface ChainBreak {
  tenantId: string;
  seq: number;
  eventId: string;
  /** `hash`: the event's content was changed; `prevHash`: a link was re-pointed; `seq`: an event is missing. */
  problem: "hash" | "prevHash" | "seq";
  expected: string;
  found: string;
}

export interface ChainReport {
  ok: boolean;
  tenants: number;
  events: number;
  firstBreak?: ChainBreak;
}

/**
 * Walks each tenant's events in seq order, in batches (constant memory at millions of events),
 * recomputing every hash from the content and the hash before it.
 */
export async function verifyAuditChain(tenantId?: string): Promise<ChainReport> {
  const tenantIds = tenantId
    ? [tenantId]
    : (await db.tenant.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
  let events = 0;
  for (const id of tenantIds) {
    const result = await verifyTenantChain(id);
    events += result.events;
    if (result.firstBreak) {
      return { ok: false, tenants: tenantIds.length, events, firstBreak: result.firstBreak };
    }
  }
  return { ok: true, tenants: tenantIds.length, events };
}

async function verifyTenantChain(
  tenantId: string,
): Promise<{ events: number; firstBreak?: ChainBreak }> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let events = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { tenantId, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: BATCH_SIZE,
    });
    for (const event of batch) {
      const at = { tenantId, seq: event.seq, eventId: event.id };
      if (event.seq !== expectedSeq) {
        return {
          events,
          firstBreak: {
            ...at,
            problem: "seq",
            expected: `seq ${expectedSeq}`,
            found: `seq ${event.seq}`,
          },
        };
      }
      if (event.prevHash !== prevHash) {
        return {
          events,
          firstBreak: { ...at, problem: "prevHash", expected: prevHash, found: event.prevHash },
        };
      }
      const recomputed = eventHash(prevHash, event);
      if (recomputed !== event.hash) {
        return {
          events,
          firstBreak: { ...at, problem: "hash", expected: recomputed, found: event.hash },
        };
      }
      prevHash = event.hash;
      expectedSeq += 1;
      events += 1;
    }
    if (batch.length < BATCH_SIZE) return { events };
  }
}

/** One line for people: where the chain breaks and what differs. */
export function describeChainBreak(problem: ChainBreak): string {
  const what = {
    hash: "the event's content no longer matches its hash",
    prevHash: "the event does not link to the event before it",
    seq: "an event is missing before this one",
  }[problem.problem];
  return `tenant ${problem.tenantId}, seq ${problem.seq}, event ${problem.eventId}: ${what} (expected ${problem.expected}, found ${problem.found})`;
}
