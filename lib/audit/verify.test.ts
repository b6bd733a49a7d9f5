import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, renameApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { tamperWithAuditLog, testEngine, withRawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { eventHash, GENESIS_HASH } from "./chain";
import { verifyAuditChain } from "./verify";

/** Edits an event's content the only way the database allows: past its append-only triggers. */
function tamper(eventId: string, data: string): Promise<void> {
  return tamperWithAuditLog(`UPDATE "AuditEvent" SET "data" = ? WHERE "id" = ?`, data, eventId);
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
    // The driver itself, on a connection of its own, shows the database's reason.
    await withRawDatabase(async (raw) => {
      await expect(raw.run(`DELETE FROM "AuditEvent" WHERE "id" = ?`, id)).rejects.toThrow(
        /append-only/,
      );
      await expect(
        raw.run(`UPDATE "AuditEvent" SET "ip" = 'x' WHERE "id" = ?`, id),
      ).rejects.toThrow(/append-only/);
      if (testEngine === "postgres") {
        // TRUNCATE fires no row triggers; the log has a statement trigger for it.
        await raw.run("BEGIN");
        await expect(raw.run(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
        await raw.run("ROLLBACK");
      }
    });
    const after = await db.auditEvent.findUnique({ where: { id } });
    expect(after).toEqual(events[0]);
  });

  it("verifies an intact chain and points at the one event whose content was edited", async () => {
    const { tenant, events } = await tenantWithEvents();
    expect(await verifyAuditChain(tenant.id)).toEqual({ ok: true, tenants: 1, events: 3 });
    const edited = events[1];
    await tamper(edited.id, JSON.stringify({ before: {}, after: { description: "innocent" } }));
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
      await tamper(edited.id, edited.data);
    }
    expect((await verifyAuditChain(tenant.id)).ok).toBe(true);
  });
});

describe("npm run audit:verify", () => {
  const tenantId = newId();
  const eventId = (seq: number) => `${tenantId}-event-${seq}`;

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
        const content = {
          id: eventId(seq),
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
        const hash = eventHash(prevHash, content);
        await raw.run(
          `INSERT INTO "AuditEvent" ("id","tenantId","seq","eventType","eventTime","userId","apiKeyId","source","ip","userAgent","data","prevHash","hash")
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
          ...Object.values(content),
          prevHash,
          hash,
        );
        prevHash = hash;
      }
    });
  });

  // Put the worker's database back as it was: an intact log.
  afterAll(() => tamper(eventId(3), JSON.stringify({ description: "key 3" })));

  function run() {
    return spawnSync(
      path.resolve("node_modules/.bin/tsx"),
      ["--conditions=react-server", "scripts/audit-verify.ts", "--tenant", tenantId],
      // The worker's DATABASE_URL, whichever engine it names.
      { env: process.env, encoding: "utf8" },
    );
  }

  it("prints OK for an intact log, and the first broken link after an edit, exiting 1", async () => {
    const intact = run();
    expect(intact.stdout).toContain("OK: 5 events in 1 tenant(s)");
    expect(intact.status).toBe(0);

    await tamper(eventId(3), JSON.stringify({ description: "changed afterwards" }));
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`tenant ${tenantId}, seq 3, event ${eventId(3)}`);
    expect(broken.stderr).toContain("content no longer matches its hash");
  });
});
