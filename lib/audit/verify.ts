import "server-only";
import { db } from "@/lib/db";
import {
  checkpointSignature,
  eventHash,
  GENESIS_HASH,
  legacyEventHash,
  signatureMatches,
  type AuditCheckpoint,
} from "./chain";
import { auditKey } from "./key";

const BATCH_SIZE = 2000;

/**
 * The first place where a tenant's log no longer matches its chain or its signed head.
 * - `hash`: the event's content was changed;
 * - `prevHash`: a link was re-pointed;
 * - `seq`: an event is missing between two others;
 * - `head`: the signed head is missing, forged, or does not name the newest event;
 * - `checkpoint`: a checkpoint kept outside Keyward does not match the log;
 * - `truncated`: the newest events are gone (the head or the checkpoint names a later event).
 */
export interface ChainBreak {
  tenantId: string;
  seq: number;
  eventId: string | null;
  problem: "hash" | "prevHash" | "seq" | "head" | "checkpoint" | "truncated";
  expected: string;
  found: string;
}

/** A tenant's signed head as an admin downloads it, to check the log against it later. */
export interface SignedCheckpoint extends AuditCheckpoint {
  signature: string;
}

export interface ChainReport {
  ok: boolean;
  tenants: number;
  events: number;
  /** Events chained before the audit key existed (plain SHA-256), which the key does not cover. */
  legacyEvents: number;
  firstBreak?: ChainBreak;
}

export function checkpointIsSigned(key: string, checkpoint: SignedCheckpoint): boolean {
  return signatureMatches(checkpointSignature(key, checkpoint), checkpoint.signature);
}

/**
 * Walks each tenant's events in seq order, in batches (constant memory at millions of events),
 * recomputing every hash from the content and the hash before it, then checks that the log still
 * reaches its signed head and, when given, a checkpoint kept elsewhere.
 */
export async function verifyAuditChain(
  tenantId?: string,
  checkpoint?: SignedCheckpoint,
): Promise<ChainReport> {
  const key = auditKey();
  const tenantIds = tenantId
    ? [tenantId]
    : (await db.tenant.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((t) => t.id);
  let events = 0;
  let legacyEvents = 0;
  for (const id of tenantIds) {
    const result = await verifyTenantChain(
      key,
      id,
      checkpoint?.tenantId === id ? checkpoint : undefined,
    );
    events += result.events;
    legacyEvents += result.legacyEvents;
    if (result.firstBreak) {
      return {
        ok: false,
        tenants: tenantIds.length,
        events,
        legacyEvents,
        firstBreak: result.firstBreak,
      };
    }
  }
  return { ok: true, tenants: tenantIds.length, events, legacyEvents };
}

async function verifyTenantChain(
  key: string,
  tenantId: string,
  checkpoint: SignedCheckpoint | undefined,
): Promise<{ events: number; legacyEvents: number; firstBreak?: ChainBreak }> {
  const head = await db.auditHead.findUnique({ where: { tenantId } });
  const legacyThrough = head?.legacyThrough ?? 0;
  let last = { seq: 0, hash: GENESIS_HASH, id: null as string | null };
  let atCheckpoint: string | undefined;
  let events = 0;
  const walked = (firstBreak?: ChainBreak) => ({
    events,
    legacyEvents: Math.min(events, legacyThrough),
    firstBreak,
  });
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { tenantId, seq: { gt: last.seq } },
      orderBy: { seq: "asc" },
      take: BATCH_SIZE,
    });
    for (const event of batch) {
      const at = { tenantId, seq: event.seq, eventId: event.id };
      const expectedSeq = last.seq + 1;
      if (event.seq !== expectedSeq) {
        return walked({
          ...at,
          problem: "seq",
          expected: `seq ${expectedSeq}`,
          found: `seq ${event.seq}`,
        });
      }
      if (event.prevHash !== last.hash) {
        return walked({ ...at, problem: "prevHash", expected: last.hash, found: event.prevHash });
      }
      const recomputed =
        event.seq <= legacyThrough
          ? legacyEventHash(last.hash, event)
          : eventHash(key, last.hash, event);
      if (!signatureMatches(recomputed, event.hash)) {
        return walked({ ...at, problem: "hash", expected: recomputed, found: event.hash });
      }
      if (event.seq === checkpoint?.seq) atCheckpoint = event.hash;
      last = { seq: event.seq, hash: event.hash, id: event.id };
      events += 1;
    }
    if (batch.length < BATCH_SIZE) break;
  }
  const atEnd = { tenantId, seq: last.seq, eventId: last.id };
  if (!head) {
    return walked(
      events === 0
        ? undefined
        : { ...atEnd, problem: "head", expected: "a signed head", found: "none" },
    );
  }
  // Only a log taken over from before the audit key existed may have an unsigned head.
  const signed =
    head.signature === ""
      ? head.seq === legacyThrough
      : signatureMatches(checkpointSignature(key, head), head.signature);
  if (!signed) {
    return walked({
      ...atEnd,
      problem: "head",
      expected: "a head signed with the audit key",
      found: `seq ${head.seq} with a signature that does not verify`,
    });
  }
  if (head.seq > last.seq) {
    return walked({
      ...atEnd,
      problem: "truncated",
      expected: `events through seq ${head.seq} (the signed head)`,
      found: `events through seq ${last.seq}`,
    });
  }
  if (head.seq !== last.seq || head.hash !== last.hash) {
    return walked({
      ...atEnd,
      problem: "head",
      expected: `the newest event (seq ${last.seq}, ${last.hash})`,
      found: `seq ${head.seq}, ${head.hash}`,
    });
  }
  if (checkpoint) {
    if (!checkpointIsSigned(key, checkpoint)) {
      return walked({
        ...atEnd,
        problem: "checkpoint",
        expected: "a checkpoint signed with the audit key",
        found: "a signature that does not verify",
      });
    }
    if (checkpoint.seq > last.seq) {
      return walked({
        ...atEnd,
        problem: "truncated",
        expected: `events through seq ${checkpoint.seq} (the checkpoint)`,
        found: `events through seq ${last.seq}`,
      });
    }
    if (checkpoint.seq > 0 && atCheckpoint !== checkpoint.hash) {
      return walked({
        tenantId,
        seq: checkpoint.seq,
        eventId: null,
        problem: "checkpoint",
        expected: checkpoint.hash,
        found: atCheckpoint ?? "no event",
      });
    }
  }
  return walked();
}

/** Whether a break is a cut-off log rather than a changed one. */
export function isTruncation(problem: ChainBreak): boolean {
  return problem.problem === "truncated";
}

/** One line for people: what was found, where the chain breaks and what differs. */
export function describeChainBreak(problem: ChainBreak): string {
  const what = {
    hash: "the event's content no longer matches its hash",
    prevHash: "the event does not link to the event before it",
    seq: "an event is missing before this one",
    head: "the log does not end at its signed head",
    checkpoint: "the log does not match the checkpoint",
    truncated: "the newest events of the log are gone",
  }[problem.problem];
  const event = problem.eventId ? `, event ${problem.eventId}` : "";
  return `${isTruncation(problem) ? "TRUNCATED" : "TAMPERED"}: tenant ${problem.tenantId}, seq ${problem.seq}${event}: ${what} (expected ${problem.expected}, found ${problem.found})`;
}
