import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, deleteAllApiKeys, renameApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { tamperWithAuditLog, testEngine, withRawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import {
  checkpointSignature,
  eventHash,
  GENESIS_HASH,
  legacyEventHash,
  type ChainedContent,
} from "./chain";
import { latestCheckpoint, parseCheckpoint } from "./checkpoint";
import { auditKey } from "./key";
import { verifyAuditChain } from "./verify";

/** Runs SQL on the log past its append-only triggers, as someone holding the database could. */
const tamper = tamperWithAuditLog;

async function tenantWithEvents() {
  const tenant = await createTenant();
  const admin = principalOf(await createUser(tenant.id, { developer: true, admin: true }));
  const { key } = await createApiKey(admin, { description: "Nightly export" });
  await renameApiKey(admin, key.id, "Nightly export v2");
  await renameApiKey(admin, key.id, "Nightly export v3");
  const events = await db.auditEvent.findMany({
    where: { tenantId: tenant.id },
    orderBy: { seq: "asc" },
  });
  return { tenant, admin, key, events };
}

describe("the append-only audit log", () => {
  it("refuses UPDATE, DELETE, REPLACE and upserts of an event", async () => {
    const { events } = await tenantWithEvents();
    const [first] = events;
    const id = first.id;
    // Prisma reports the trigger's abort as a constraint failure; the driver shows its message.
    await expect(db.auditEvent.update({ where: { id }, data: { data: "{}" } })).rejects.toThrow();
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow();
    await expect(db.$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${id}`).rejects.toThrow();
    await expect(
      db.auditEvent.upsert({ where: { id }, create: first, update: { data: "{}" } }),
    ).rejects.toThrow();
    const columns = `"id","tenantId","seq","eventType","eventTime","userId","apiKeyId","source","ip","userAgent","data","prevHash","hash"`;
    const values = [
      first.id,
      first.tenantId,
      first.seq,
      first.eventType,
      first.eventTime,
      first.userId,
      first.apiKeyId,
      first.source,
      first.ip,
      first.userAgent,
      "{}",
      first.prevHash,
      first.hash,
    ];
    const marks = values.map(() => "?").join(",");
    // The driver itself, on a connection of its own, shows the database's reason.
    await withRawDatabase(async (raw) => {
      await expect(raw.run(`DELETE FROM "AuditEvent" WHERE "id" = ?`, id)).rejects.toThrow(
        /append-only/,
      );
      await expect(
        raw.run(`UPDATE "AuditEvent" SET "ip" = 'x' WHERE "id" = ?`, id),
      ).rejects.toThrow(/append-only/);
      await expect(
        raw.run(
          `INSERT INTO "AuditEvent" (${columns}) VALUES (${marks}) ON CONFLICT ("id") DO UPDATE SET "data" = excluded."data"`,
          ...values,
        ),
      ).rejects.toThrow(/append-only/);
      if (testEngine === "sqlite") {
        // REPLACE deletes the row it replaces without firing the delete trigger.
        await expect(
          raw.run(`INSERT OR REPLACE INTO "AuditEvent" (${columns}) VALUES (${marks})`, ...values),
        ).rejects.toThrow(/append-only/);
        await expect(
          raw.run(`REPLACE INTO "AuditEvent" (${columns}) VALUES (${marks})`, ...values),
        ).rejects.toThrow(/append-only/);
      }
      if (testEngine === "postgres") {
        // TRUNCATE fires no row triggers; the log has a statement trigger for it.
        await raw.run("BEGIN");
        await expect(raw.run(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
        await raw.run("ROLLBACK");
      }
    });
    const after = await db.auditEvent.findUnique({ where: { id } });
    expect(after).toEqual(first);
  });

  it("keys the chain: each hash is an HMAC under the audit key, and the head is signed", async () => {
    const { tenant, events } = await tenantWithEvents();
    let prevHash = GENESIS_HASH;
    for (const event of events) {
      expect(event.hash).toBe(eventHash(auditKey(), prevHash, event));
      expect(event.hash).not.toBe(legacyEventHash(prevHash, event));
      prevHash = event.hash;
    }
    const head = await db.auditHead.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(head).toMatchObject({ seq: 3, hash: events[2].hash, legacyThrough: 0 });
    expect(head.signature).toBe(checkpointSignature(auditKey(), head));
  });

  it("chains events written in one batch as it chains them one by one", async () => {
    const tenant = await createTenant({ maxKeysPerUser: 200 });
    const dev = principalOf(await createUser(tenant.id, { developer: true }));
    for (let i = 0; i < 120; i++) await createApiKey(dev, { description: `Batch ${i}` });
    expect(await deleteAllApiKeys(dev)).toBe(120);
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((event) => event.eventType === "api-key.deleted")).toHaveLength(120);
    expect(await verifyAuditChain(tenant.id)).toEqual({
      ok: true,
      tenants: 1,
      events: 240,
      legacyEvents: 0,
    });
    const head = await db.auditHead.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(head).toMatchObject({ seq: 240, hash: events[239].hash });
  });

  it("verifies an intact chain and points at the one event whose content was edited", async () => {
    const { tenant, events } = await tenantWithEvents();
    expect(await verifyAuditChain(tenant.id)).toEqual({
      ok: true,
      tenants: 1,
      events: 3,
      legacyEvents: 0,
    });
    const edited = events[1];
    await tamper(
      `UPDATE "AuditEvent" SET "data" = ? WHERE "id" = ?`,
      JSON.stringify({ before: {}, after: { description: "innocent" } }),
      edited.id,
    );
    const report = await verifyAuditChain(tenant.id);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toEqual({
      tenantId: tenant.id,
      seq: 2,
      eventId: edited.id,
      problem: "hash",
      expected: expect.stringMatching(/^[0-9a-f]{64}$/),
      found: edited.hash,
    });
  });

  it("finds the newest event rewritten with a recomputed plain hash", async () => {
    const { tenant, events } = await tenantWithEvents();
    const last = events[2];
    const rewritten: ChainedContent = { ...last, data: JSON.stringify({ description: "benign" }) };
    // Without the audit key, the best an attacker can compute is a plain hash, or an HMAC under
    // a key of their own; the head is moved along as well.
    for (const hash of [
      legacyEventHash(last.prevHash, rewritten),
      eventHash("a guessed key", last.prevHash, rewritten),
    ]) {
      await tamper(
        `UPDATE "AuditEvent" SET "data" = ?, "hash" = ? WHERE "id" = ?`,
        rewritten.data,
        hash,
        last.id,
      );
      await db.auditHead.update({ where: { tenantId: tenant.id }, data: { hash } });
      const report = await verifyAuditChain(tenant.id);
      expect(report.firstBreak).toMatchObject({ seq: 3, eventId: last.id, problem: "hash" });
    }
  });

  it("reports a log cut short behind its signed head as truncated, not as edited", async () => {
    const { tenant, admin, key } = await tenantWithEvents();
    for (let i = 4; i <= 8; i++) await renameApiKey(admin, key.id, `Nightly export v${i}`);
    // The guards dropped, the newest five events deleted.
    await tamper(`DELETE FROM "AuditEvent" WHERE "tenantId" = ? AND "seq" > 3`, tenant.id);
    const report = await verifyAuditChain(tenant.id);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({
      tenantId: tenant.id,
      seq: 3,
      problem: "truncated",
      expected: "events through seq 8 (the signed head)",
      found: "events through seq 3",
    });
  });

  it("refuses a head moved back without the key, or removed", async () => {
    const { tenant, events } = await tenantWithEvents();
    await tamper(`DELETE FROM "AuditEvent" WHERE "tenantId" = ? AND "seq" = 3`, tenant.id);
    await db.auditHead.update({
      where: { tenantId: tenant.id },
      data: { seq: 2, hash: events[1].hash },
    });
    expect((await verifyAuditChain(tenant.id)).firstBreak).toMatchObject({ problem: "head" });
    // An unsigned head passes only for a log chained before the key existed: claiming that
    // makes every keyed event fail its plain hash.
    await db.auditHead.update({
      where: { tenantId: tenant.id },
      data: { signature: "", legacyThrough: 2 },
    });
    expect((await verifyAuditChain(tenant.id)).firstBreak).toMatchObject({
      seq: 1,
      problem: "hash",
    });
    await db.auditHead.delete({ where: { tenantId: tenant.id } });
    expect((await verifyAuditChain(tenant.id)).firstBreak).toMatchObject({
      seq: 2,
      problem: "head",
      found: "none",
    });
  });

  it("checks the log against a downloaded checkpoint when the head was rolled back as well", async () => {
    const { tenant, admin, key } = await tenantWithEvents();
    const checkpoint = await latestCheckpoint(admin);
    expect(checkpoint).toMatchObject({ tenantId: tenant.id, seq: 3 });
    const signed = parseCheckpoint(checkpoint);
    expect((await verifyAuditChain(tenant.id, signed)).ok).toBe(true);
    // An older head, saved by the attacker, put back after cutting the log behind the checkpoint.
    const older = await db.auditHead.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    await renameApiKey(admin, key.id, "Nightly export v4");
    const restored = { seq: 2, hash: "", signedAt: older.signedAt };
    const second = await db.auditEvent.findFirstOrThrow({
      where: { tenantId: tenant.id, seq: 2 },
    });
    restored.hash = second.hash;
    await tamper(`DELETE FROM "AuditEvent" WHERE "tenantId" = ? AND "seq" > 2`, tenant.id);
    // Signed as Keyward signed it back when seq 2 was the head.
    await db.auditHead.update({
      where: { tenantId: tenant.id },
      data: {
        ...restored,
        signature: checkpointSignature(auditKey(), { tenantId: tenant.id, ...restored }),
      },
    });
    expect((await verifyAuditChain(tenant.id)).ok).toBe(true);
    expect((await verifyAuditChain(tenant.id, signed)).firstBreak).toMatchObject({
      problem: "truncated",
      expected: "events through seq 3 (the checkpoint)",
    });
    // A checkpoint edited by hand no longer verifies.
    const forged = { ...signed, seq: 1 };
    expect((await verifyAuditChain(tenant.id, forged)).firstBreak).toMatchObject({
      problem: "checkpoint",
    });
  });

  it("verifies a log chained before the audit key existed, and keys what follows", async () => {
    const tenant = await createTenant();
    const admin = principalOf(await createUser(tenant.id, { developer: true, admin: true }));
    let prevHash = GENESIS_HASH;
    await withRawDatabase(async (raw) => {
      for (let seq = 1; seq <= 3; seq++) {
        const content = chainedContent(tenant.id, seq);
        const hash = legacyEventHash(prevHash, content);
        await insertEvent(raw, content, prevHash, hash);
        prevHash = hash;
      }
      // As the migration that introduced the key takes such a log over.
      await raw.run(
        `INSERT INTO "AuditHead" ("tenantId","seq","hash","signedAt","signature","legacyThrough") VALUES (?,?,?,?,?,?)`,
        tenant.id,
        3,
        prevHash,
        new Date(),
        "",
        3,
      );
    });
    expect(await verifyAuditChain(tenant.id)).toMatchObject({ ok: true, legacyEvents: 3 });
    await createApiKey(admin, { description: "After the key" });
    const report = await verifyAuditChain(tenant.id);
    expect(report).toMatchObject({ ok: true, events: 4, legacyEvents: 3 });
    const head = await db.auditHead.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(head).toMatchObject({ seq: 4, legacyThrough: 3 });
    expect(head.signature).toBe(checkpointSignature(auditKey(), head));
  });
});

function chainedContent(tenantId: string, seq: number): ChainedContent {
  return {
    id: `${tenantId}-event-${seq}`,
    tenantId,
    seq,
    eventType: "api-key.created",
    eventTime: new Date(Date.UTC(2026, 10, 1, 0, seq)),
    userId: "someone",
    apiKeyId: `key-${seq}`,
    source: "console",
    ip: "10.0.0.1",
    userAgent: "test",
    data: JSON.stringify({ description: `key ${seq}` }),
  };
}

type Raw = Parameters<Parameters<typeof withRawDatabase>[0]>[0];

function insertEvent(raw: Raw, content: ChainedContent, prevHash: string, hash: string) {
  return raw.run(
    `INSERT INTO "AuditEvent" ("id","tenantId","seq","eventType","eventTime","userId","apiKeyId","source","ip","userAgent","data","prevHash","hash")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ...Object.values(content),
    prevHash,
    hash,
  );
}

describe("npm run audit:verify", () => {
  const tenantId = newId();
  const eventId = (seq: number) => `${tenantId}-event-${seq}`;
  const heads: { seq: number; hash: string; signedAt: Date; signature: string }[] = [];

  // A log written as another instance would, in the worker's own database (either engine).
  beforeAll(async () => {
    await withRawDatabase(async (raw) => {
      await raw.run(
        `INSERT INTO "Tenant" ("id","slug","name","updatedAt") VALUES (?,?,?,?)`,
        tenantId,
        `tamper-${tenantId}`,
        "Tamper test",
        new Date(),
      );
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 5; seq++) {
        const content = chainedContent(tenantId, seq);
        const hash = eventHash(auditKey(), prevHash, content);
        await insertEvent(raw, content, prevHash, hash);
        const head = { tenantId, seq, hash, signedAt: content.eventTime };
        heads.push({ ...head, signature: checkpointSignature(auditKey(), head) });
        prevHash = hash;
      }
      const head = heads[4];
      await raw.run(
        `INSERT INTO "AuditHead" ("tenantId","seq","hash","signedAt","signature") VALUES (?,?,?,?,?)`,
        tenantId,
        head.seq,
        head.hash,
        head.signedAt,
        head.signature,
      );
    });
  });

  function run(...args: string[]) {
    return spawnSync(
      path.resolve("node_modules/.bin/tsx"),
      ["--conditions=react-server", "scripts/audit-verify.ts", "--tenant", tenantId, ...args],
      // The worker's DATABASE_URL, whichever engine it names, and the audit key.
      { env: process.env, encoding: "utf8" },
    );
  }

  it("prints OK, then TAMPERED (exit 1) for an edit and TRUNCATED (exit 3) for a cut", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keyward-cp-")), "cp.json");
    const last = heads[4];
    fs.writeFileSync(
      file,
      JSON.stringify({ ...last, tenantId, signedAt: last.signedAt.toISOString() }),
    );
    const intact = run("--checkpoint", file);
    expect(intact.stdout).toContain("OK: 5 events in 1 tenant(s)");
    expect(intact.stdout).toContain("reach the checkpoint at seq 5");
    expect(intact.status).toBe(0);

    // The newest two events gone, and an older signed head put back: only the checkpoint knows.
    await tamper(`DELETE FROM "AuditEvent" WHERE "tenantId" = ? AND "seq" > 3`, tenantId);
    await db.auditHead.update({
      where: { tenantId },
      data: {
        seq: 3,
        hash: heads[2].hash,
        signedAt: heads[2].signedAt,
        signature: heads[2].signature,
      },
    });
    expect(run().status).toBe(0);
    const cut = run("--checkpoint", file);
    expect(cut.status).toBe(3);
    expect(cut.stderr).toContain(`TRUNCATED: tenant ${tenantId}, seq 3`);

    await tamper(
      `UPDATE "AuditEvent" SET "data" = ? WHERE "id" = ?`,
      JSON.stringify({ description: "changed afterwards" }),
      eventId(2),
    );
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`TAMPERED: tenant ${tenantId}, seq 2, event ${eventId(2)}`);
    expect(broken.stderr).toContain("content no longer matches its hash");
  });

  it("exits 2 with a clear message for a checkpoint file that is not one", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keyward-cp-")), "cp.json");
    fs.writeFileSync(file, JSON.stringify({ tenantId, seq: "five" }));
    const result = run("--checkpoint", file);
    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain("    at ");
  });
});
