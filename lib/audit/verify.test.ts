import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, renameApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { sqlite } from "@/lib/db/sqlite/connection";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { eventHash, GENESIS_HASH } from "./chain";
import { verifyAuditChain } from "./verify";
import { sqliteTime } from "@/lib/db/sqlite/time";

/**
 * Simulates tampering the only way the database allows: drop the append-only trigger, edit, and
 * put the trigger back, in one transaction so no other connection ever sees the log unguarded.
 */
function tamper(handle: Database.Database, eventId: string, data: string): void {
  const trigger = handle
    .prepare(
      `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'AuditEvent_no_update'`,
    )
    .get() as { sql: string };
  handle.transaction(() => {
    handle.exec(`DROP TRIGGER "AuditEvent_no_update"`);
    handle.prepare(`UPDATE "AuditEvent" SET "data" = ? WHERE "id" = ?`).run(data, eventId);
    handle.exec(trigger.sql);
  })();
}

async function tenantWithEvents() {
  const tenant = await createTenant();
  const dev = principalOf(await createUser(tenant.id, { developer: true }));
  const { key } = await createApiKey(dev, { description: "Nightly export" });
  await renameApiKey(dev, key.id, "Nightly export v2");
  await renameApiKey(dev, key.id, "Nightly export v3");
  const events = await db.auditEvent.findMany({
    where: { tenantId: tenant.id },
    orderBy: { seq: "asc" },
  });
  return { tenant, events };
}

describe("the append-only audit log", () => {
  it("refuses UPDATE and DELETE of an event", async () => {
    const { events } = await tenantWithEvents();
    const id = events[0].id;
    // Prisma reports the trigger's abort as a constraint failure; the driver shows its message.
    await expect(db.auditEvent.update({ where: { id }, data: { data: "{}" } })).rejects.toThrow();
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow();
    await expect(db.$executeRaw`DELETE FROM "AuditEvent" WHERE "id" = ${id}`).rejects.toThrow();
    expect(() => sqlite().prepare(`DELETE FROM "AuditEvent" WHERE "id" = ?`).run(id)).toThrow(
      /append-only/,
    );
    expect(() =>
      sqlite().prepare(`UPDATE "AuditEvent" SET "ip" = 'x' WHERE "id" = ?`).run(id),
    ).toThrow(/append-only/);
    const after = await db.auditEvent.findUnique({ where: { id } });
    expect(after).toEqual(events[0]);
  });

  it("verifies an intact chain and points at the one event whose content was edited", async () => {
    const { tenant, events } = await tenantWithEvents();
    expect(await verifyAuditChain(tenant.id)).toEqual({ ok: true, tenants: 1, events: 3 });
    const edited = events[1];
    tamper(sqlite(), edited.id, JSON.stringify({ before: {}, after: { description: "innocent" } }));
    try {
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
      expect(report.firstBreak?.expected).not.toBe(edited.hash);
    } finally {
      // Put the shared test database back as it was.
      tamper(sqlite(), edited.id, edited.data);
    }
    expect((await verifyAuditChain(tenant.id)).ok).toBe(true);
  });
});

describe("npm run audit:verify", () => {
  let dir: string;
  let file: string;
  let handle: Database.Database;
  const tenantId = "t".repeat(24);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-tamper-"));
    file = path.join(dir, "audit.db");
    execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      stdio: "pipe",
    });
    handle = new Database(file);
    const now = sqliteTime(new Date());
    handle
      .prepare(`INSERT INTO "Tenant" ("id","slug","name","updatedAt") VALUES (?,?,?,?)`)
      .run(tenantId, "tamper", "Tamper test", now);
    const insert = handle.prepare(
      `INSERT INTO "AuditEvent" ("id","tenantId","seq","eventType","eventTime","userId","apiKeyId","source","ip","userAgent","data","prevHash","hash")
       VALUES (@id,@tenantId,@seq,@eventType,@eventTimeText,@userId,@apiKeyId,@source,@ip,@userAgent,@data,@prevHash,@hash)`,
    );
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 5; seq++) {
      const eventTime = new Date(Date.UTC(2026, 10, 1, 0, seq));
      const content = {
        id: `event-${seq}`,
        tenantId,
        seq,
        eventType: "api-key.created",
        eventTime,
        userId: "someone",
        apiKeyId: `key-${seq}`,
        source: "console",
        ip: "10.0.0.1",
        userAgent: "test",
        data: JSON.stringify({ description: `key ${seq}` }),
      };
      const hash = eventHash(prevHash, content);
      insert.run({
        ...content,
        eventTimeText: sqliteTime(eventTime),
        prevHash,
        hash,
      });
      prevHash = hash;
    }
  });

  afterAll(() => {
    handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function run() {
    return spawnSync(
      path.resolve("node_modules/.bin/tsx"),
      ["--conditions=react-server", "scripts/audit-verify.ts"],
      { env: { ...process.env, DATABASE_URL: `file:${file}` }, encoding: "utf8" },
    );
  }

  it("prints OK for an intact log, and the first broken link after an edit, exiting 1", () => {
    const intact = run();
    expect(intact.stdout).toContain("OK: 5 events in 1 tenant(s)");
    expect(intact.status).toBe(0);

    tamper(handle, "event-3", JSON.stringify({ description: "changed afterwards" }));
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`tenant ${tenantId}, seq 3, event event-3`);
    expect(broken.stderr).toContain("content no longer matches its hash");
  });
});
