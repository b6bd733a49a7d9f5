import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeLeakedTokens } from "@/lib/api-keys/leaks";
import { createApiKey, revokeApiKeys } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { closeMail } from "@/lib/mail";
import { startMailServer, type Mailbox } from "@/test/mail-server";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { runNotifyJob } from "./job";
import { noticeOnce } from "./outbox";

const DAY_MS = 86_400_000;
const root = path.resolve(__dirname, "..", "..");
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailServer();
  process.env.KEYWARD_SMTP_URL = mailbox.url;
  process.env.KEYWARD_MAIL_FROM = "Keyward <keys@keyward.test>";
  process.env.KEYWARD_PUBLIC_URL = "https://keys.example.test";
});

afterAll(async () => {
  delete process.env.KEYWARD_SMTP_URL;
  closeMail();
  await mailbox.close();
});

async function ownerWithKey(settings: Parameters<typeof createTenant>[0] = {}) {
  const tenant = await createTenant(settings);
  const owner = await createUser(tenant.id, { developer: true });
  const { key, token } = await createApiKey(principalOf(owner), { description: "billing sync" });
  return { tenant, owner, key, token };
}

/** `npm run notify`, as cron runs it: another process on the same database and mail server. */
async function notifyProcess(): Promise<string> {
  const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "notify"], {
    cwd: root,
    env: { ...process.env },
  });
  return stdout;
}

/** Runs the job until one run got the lease (a kick after a revocation may hold it a moment). */
async function runJobOnce() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const run = await runNotifyJob();
    if (run.ran) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the notify job's lease never came free");
}

describe("expiry reminders", () => {
  it("mail a key expiring in 2 days once, whatever the runs, the processes or their overlap", async () => {
    const { owner, key } = await ownerWithKey();
    await db.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() + 2 * DAY_MS) },
    });
    await runJobOnce();
    expect(await notifyProcess()).toMatch(/^notify: /m);
    const overlapping = await Promise.all([runNotifyJob(), runNotifyJob()]);
    expect(overlapping.filter((run) => run.ran).length).toBeLessThanOrEqual(1);
    await runJobOnce();

    const mails = await mailbox.waitFor(owner.email);
    // Anything sent late would arrive meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.to(owner.email)).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).toBe('Your API key "billing sync" expires in 7 days');
    expect(mail.from?.text).toContain("keys@keyward.test");
    expect(mail.text).toContain(key.id);
    expect(mail.text).toContain(`https://keys.example.test/profile/api-keys/${key.id}`);
    expect(await db.notice.findMany({ where: { apiKeyId: key.id } })).toMatchObject([
      { kind: "expiry-7d", mailState: "sent" },
    ]);
  });

  it("two runs started at once mail once", async () => {
    const { owner, key } = await ownerWithKey();
    await db.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() + 12 * 3_600_000) },
    });
    await Promise.all([runNotifyJob(), runNotifyJob(), notifyProcess()]);
    await runJobOnce();
    const mails = await mailbox.waitFor(owner.email);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailbox.to(owner.email)).toHaveLength(1);
    // Within a day of expiry, only the day's reminder: a week's would be wrong by then.
    expect(mails[0].subject).toBe('Your API key "billing sync" expires tomorrow');
  });

  it("keeps a notice whose mail failed pending, and sends it on a later run", async () => {
    const { owner, key } = await ownerWithKey();
    await db.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() + 3 * DAY_MS) },
    });
    process.env.KEYWARD_SMTP_URL = "smtp://127.0.0.1:9";
    try {
      await runJobOnce();
    } finally {
      process.env.KEYWARD_SMTP_URL = mailbox.url;
    }
    const failed = await db.notice.findFirstOrThrow({ where: { apiKeyId: key.id } });
    expect(failed).toMatchObject({ mailState: "pending", attempts: 1 });
    expect(mailbox.to(owner.email)).toHaveLength(0);
    await runJobOnce();
    await mailbox.waitFor(owner.email);
    expect(await db.notice.findFirstOrThrow({ where: { apiKeyId: key.id } })).toMatchObject({
      mailState: "sent",
      attempts: 2,
    });
  });
});

describe("the outbox", () => {
  it("makes a notice once, and none for a key deleted after the job read it", async () => {
    const { owner, key } = await ownerWithKey();
    const read = { id: key.id, tenantId: owner.tenantId, ownerId: owner.id };
    expect(await noticeOnce(read, "expiry-7d")).toBe(true);
    expect(await noticeOnce(read, "expiry-7d")).toBe(false);
    await db.notice.deleteMany({ where: { apiKeyId: key.id } });
    await db.apiKey.delete({ where: { id: key.id } });
    expect(await noticeOnce(read, "expiry-1d")).toBe(false);
    expect(await db.notice.count({ where: { apiKeyId: key.id } })).toBe(0);
  });
});

describe("revocation mail", () => {
  it("tells the owner when an admin revokes their key", async () => {
    const { tenant, owner, key } = await ownerWithKey();
    const admin = await createUser(tenant.id, { admin: true });
    await revokeApiKeys(principalOf(admin), [key.id]);
    const [mail] = await mailbox.waitFor(owner.email);
    expect(mail.subject).toBe('Your API key "billing sync" was revoked');
    expect(mail.text).toContain(key.id);
    expect(mail.text).not.toMatch(/kw_[0-9A-Za-z]{38}/);
  });

  it("tells the owner when their key is reported leaked", async () => {
    const { owner, key, token } = await ownerWithKey();
    await revokeLeakedTokens({ tokens: [token] }, { ip: "203.0.113.9" });
    const [mail] = await mailbox.waitFor(owner.email);
    expect(mail.subject).toBe('Your API key "billing sync" was reported leaked and revoked');
    expect(mail.text).toContain(key.id);
    expect(mail.text).not.toContain(token);
  });
});

describe("the unused-key policy", () => {
  it("revokes a key last used 31 days ago under a 30-day policy and leaves one used yesterday", async () => {
    const { tenant, owner, key: stale } = await ownerWithKey();
    const fresh = await createApiKey(principalOf(owner), { description: "used daily" });
    const never = await createApiKey(principalOf(owner), { description: "brand new" });
    const longAgo = new Date(Date.now() - 40 * DAY_MS);
    await db.apiKey.update({
      where: { id: stale.id },
      data: { createdAt: longAgo, lastUsedAt: new Date(Date.now() - 31 * DAY_MS) },
    });
    await db.apiKey.update({
      where: { id: fresh.key.id },
      data: { createdAt: longAgo, lastUsedAt: new Date(Date.now() - DAY_MS) },
    });
    await db.tenant.update({ where: { id: tenant.id }, data: { revokeUnusedAfterDays: 30 } });

    await runJobOnce();

    const keys = await db.apiKey.findMany({ where: { tenantId: tenant.id } });
    const revoked = keys.filter((key) => key.revokedAt).map((key) => key.id);
    expect(revoked).toEqual([stale.id]);
    expect(keys.find((key) => key.id === never.key.id)?.revokedAt).toBeNull();
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, eventType: "api-key.revoked" },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ apiKeyId: stale.id, userId: null, source: "system" });
    expect(JSON.parse(events[0].data)).toMatchObject({ reason: "unused", unusedDays: 30 });
    const [mail] = await mailbox.waitFor(owner.email);
    expect(mail.subject).toBe('Your unused API key "billing sync" was revoked');
  });
});
