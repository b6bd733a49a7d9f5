import "server-only";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { mailConfigured, sendMail } from "@/lib/mail";
import { EXPIRY_NOTICE_KINDS } from "./kinds";
import { acquireLease, releaseLease } from "./lease";
import { noticeMail } from "./mail";
import { noticeOnce } from "./outbox";
import { revokeUnusedKeys } from "./unused";

const LEASE_NAME = "notify";
/** Longer than a run takes; a holder that dies frees the job when it ends. */
const LEASE_MS = 5 * 60_000;
/** Notices made or mailed per run, so that one run stays short; the next run takes the rest. */
const BATCH = 500;
const DAY_MS = 86_400_000;

export interface NotifyRun {
  /** False when another run (on any instance) held the lease: this one did nothing. */
  ran: boolean;
  revoked: number;
  noticed: number;
  mailed: number;
  failed: number;
}

/**
 * Runs what is due once (SPEC §8): revokes keys past their tenant's unused-key limit, adds the
 * expiry notices that are due, and mails the outbox. Under a lease in the database, so that runs
 * on any number of instances never overlap and each notice is mailed once.
 */
export async function runNotifyJob(
  options: { deliverOnly?: boolean; now?: Date } = {},
): Promise<NotifyRun> {
  const holder = newId();
  const run: NotifyRun = { ran: false, revoked: 0, noticed: 0, mailed: 0, failed: 0 };
  if (!(await acquireLease(LEASE_NAME, holder, LEASE_MS))) return run;
  try {
    run.ran = true;
    const now = options.now ?? new Date();
    if (!options.deliverOnly) {
      run.revoked = await revokeUnusedKeys(now, BATCH);
      run.noticed = await enqueueExpiryNotices(now);
    }
    Object.assign(run, await deliverPendingNotices());
    return run;
  } finally {
    await releaseLease(LEASE_NAME, holder);
  }
}

/**
 * A notice a day before expiry and one a week before; a key found within a day of its expiry gets
 * only the day's, as a week's would be wrong by then.
 */
async function enqueueExpiryNotices(now: Date): Promise<number> {
  const dayAhead = new Date(now.getTime() + DAY_MS);
  const weekAhead = new Date(now.getTime() + 7 * DAY_MS);
  const select = { id: true, tenantId: true, ownerId: true } as const;
  const dueTomorrow = await db.apiKey.findMany({
    where: {
      revokedAt: null,
      // A disabled owner can do nothing about it until an admin enables them.
      owner: { disabledAt: null },
      expiresAt: { gt: now, lte: dayAhead },
      notices: { none: { kind: "expiry-1d" } },
    },
    select,
    take: BATCH,
  });
  const dueThisWeek = await db.apiKey.findMany({
    where: {
      revokedAt: null,
      owner: { disabledAt: null },
      expiresAt: { gt: dayAhead, lte: weekAhead },
      notices: { none: { kind: { in: [...EXPIRY_NOTICE_KINDS] } } },
    },
    select,
    take: BATCH,
  });
  let made = 0;
  for (const key of dueTomorrow) if (await noticeOnce(key, "expiry-1d")) made++;
  for (const key of dueThisWeek) if (await noticeOnce(key, "expiry-7d")) made++;
  return made;
}

/**
 * Mails pending notices, oldest first. A failed send stays pending for the next run; an expiry
 * reminder whose key has ended meanwhile is no longer sent.
 */
async function deliverPendingNotices(): Promise<{ mailed: number; failed: number }> {
  const pending = await db.notice.findMany({
    where: { mailState: "pending" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: BATCH,
    include: {
      user: { select: { email: true, name: true } },
      apiKey: {
        select: {
          id: true,
          description: true,
          hint: true,
          expiresAt: true,
          revokedAt: true,
          tenant: { select: { revokeUnusedAfterDays: true } },
        },
      },
    },
  });
  if (pending.length === 0) return { mailed: 0, failed: 0 };
  if (!mailConfigured()) {
    await db.notice.updateMany({
      where: { id: { in: pending.map((notice) => notice.id) }, mailState: "pending" },
      data: { mailState: "off" },
    });
    return { mailed: 0, failed: 0 };
  }
  let mailed = 0;
  let failed = 0;
  for (const notice of pending) {
    const { apiKey } = notice;
    const isReminder = (EXPIRY_NOTICE_KINDS as readonly string[]).includes(notice.kind);
    if (isReminder && (apiKey.revokedAt || apiKey.expiresAt <= new Date())) {
      await db.notice.update({ where: { id: notice.id }, data: { mailState: "skipped" } });
      continue;
    }
    try {
      await sendMail(
        noticeMail({
          kind: notice.kind,
          user: notice.user,
          apiKey,
          unusedDays: apiKey.tenant.revokeUnusedAfterDays,
        }),
      );
      await db.notice.update({
        where: { id: notice.id },
        data: { mailState: "sent", mailedAt: new Date(), attempts: { increment: 1 } },
      });
      mailed++;
    } catch (error) {
      failed++;
      console.error(`[keyward] mailing notice ${notice.id} failed; will retry`, error);
      await db.notice.update({
        where: { id: notice.id },
        data: { attempts: { increment: 1 }, lastError: String(error).slice(0, 500) },
      });
    }
  }
  return { mailed, failed };
}
