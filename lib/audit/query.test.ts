import { describe, expect, it } from "vitest";
import { recordEvent } from "@/lib/audit/record";
import type { AuditEventType } from "@/lib/audit/event-types";
import type { Principal } from "@/lib/auth/principal";
import { withTransaction } from "@/lib/db/transaction";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { createTenant, createUser, principalOf } from "@/test/factories";
import {
  countAuditEvents,
  getAuditEvent,
  listAuditEvents,
  parseEventTimeInterval,
  toAuditEventDto,
} from "./query";

async function adminTenant() {
  const tenant = await createTenant();
  const admin = await createUser(tenant.id, { admin: true, developer: true });
  const other = await createUser(tenant.id, { developer: true });
  return { tenant, admin: principalOf(admin), other: principalOf(other) };
}

async function record(actor: Principal, eventType: AuditEventType, apiKeyId: string | null = null) {
  await withTransaction((tx) => recordEvent(tx, actor, { eventType, apiKeyId, data: { n: 1 } }));
}

async function walk(principal: Principal, query: Parameters<typeof listAuditEvents>[1]) {
  const seen: string[] = [];
  let page = await listAuditEvents(principal, query);
  const pages = [page];
  seen.push(...page.data.map((event) => event.id));
  while (page.next) {
    page = await listAuditEvents(principal, { ...query, next: page.next });
    pages.push(page);
    seen.push(...page.data.map((event) => event.id));
  }
  return { seen, pages };
}

describe("listAuditEvents", () => {
  it("pages through every event newest first, with no gaps or repeats, forwards and back", async () => {
    const { admin } = await adminTenant();
    for (let i = 0; i < 23; i++) await record(admin, "api-key.updated", `key${i}`);
    const { seen, pages } = await walk(admin, { limit: 5 });
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(pages).toHaveLength(5);
    expect(pages[0].prev).toBeUndefined();
    expect(pages[4].next).toBeUndefined();
    const seqs = pages.flatMap((page) => page.data.map((event) => event.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    // Back from the last page to the first, by prev cursors.
    let page = pages[4];
    const back: string[] = [...page.data.map((event) => event.id)];
    while (page.prev) {
      page = await listAuditEvents(admin, { limit: 5, prev: page.prev });
      back.unshift(...page.data.map((event) => event.id));
    }
    expect(back).toEqual(seen);
    expect(page.data.map((e) => e.id)).toEqual(pages[0].data.map((e) => e.id));
  });

  it("sorts oldest first on request", async () => {
    const { admin } = await adminTenant();
    for (let i = 0; i < 4; i++) await record(admin, "api-key.created", `key${i}`);
    const { seen } = await walk(admin, { limit: 3, sort: "+eventTime" });
    const newest = await walk(admin, { limit: 3 });
    expect(seen).toEqual([...newest.seen].reverse());
  });

  it("filters by event type, user, key ID and time range", async () => {
    const { admin, other } = await adminTenant();
    await record(admin, "api-key.created", "keyA");
    await record(other, "api-key.created", "keyB");
    await record(other, "api-key.updated", "keyB");
    await record(admin, "api-keys-config.updated");
    const types = (page: { data: { eventType: string }[] }) => page.data.map((e) => e.eventType);

    const created = await listAuditEvents(admin, { eventType: "api-key.created", limit: 100 });
    expect(types(created)).toEqual(["api-key.created", "api-key.created"]);
    const byUser = await listAuditEvents(admin, { userId: other.userId, limit: 100 });
    expect(types(byUser)).toEqual(["api-key.updated", "api-key.created"]);
    expect(byUser.data.every((e) => e.actor?.name && e.userId === other.userId)).toBe(true);
    const byKey = await listAuditEvents(admin, { apiKeyId: "keyB", limit: 100 });
    expect(byKey.data.map((e) => e.apiKeyId)).toEqual(["keyB", "keyB"]);

    const all = await listAuditEvents(admin, { sort: "+eventTime", limit: 100 });
    const future = await listAuditEvents(admin, { start: new Date(Date.now() + 60_000) });
    expect(future.data).toEqual([]);
    const past = await listAuditEvents(admin, {
      start: new Date(all.data[0].eventTime),
      end: new Date(Date.now() + 60_000),
      limit: 100,
    });
    expect(past.data).toHaveLength(4);
  });

  it("finds a key's events by the start of its ID, from 3 characters, and counts them", async () => {
    const { admin, other } = await adminTenant();
    const keyA = "abc0000000000000000000a1";
    const keyB = "abcf00000000000000000000";
    const keyC = "abd000000000000000000000";
    for (const key of [keyA, keyB, keyB, keyC]) await record(admin, "api-key.updated", key);
    const keys = async (apiKeyIdPrefix: string) =>
      (await listAuditEvents(admin, { apiKeyIdPrefix, limit: 100 })).data.map((e) => e.apiKeyId);
    expect(await keys("abc")).toEqual([keyB, keyB, keyA]);
    expect(await keys("ABCF")).toEqual([keyB, keyB]);
    expect(await keys(keyC)).toEqual([keyC]);
    expect(await keys("abe")).toEqual([]);
    await expect(listAuditEvents(admin, { apiKeyIdPrefix: "ab" })).rejects.toThrow(
      /at least 3 characters/,
    );
    await expect(listAuditEvents(admin, { apiKeyIdPrefix: "xyz" })).rejects.toBeInstanceOf(Invalid);

    expect(await countAuditEvents(admin, { apiKeyIdPrefix: "abc" })).toEqual({
      total: 3,
      capped: false,
    });
    expect(await countAuditEvents(admin, {})).toEqual({ total: 4, capped: false });
    await expect(countAuditEvents(other, {})).rejects.toBeInstanceOf(Forbidden);
  });

  it("shows only the caller's tenant, and another tenant's event is not found", async () => {
    const a = await adminTenant();
    const b = await adminTenant();
    await record(a.admin, "api-key.created", "keyA");
    await record(b.admin, "api-key.created", "keyB");
    const page = await listAuditEvents(a.admin, { limit: 100 });
    expect(page.data.map((e) => e.tenantId)).toEqual([a.tenant.id]);
    const foreign = (await listAuditEvents(b.admin)).data[0];
    await expect(getAuditEvent(a.admin, foreign.id)).rejects.toBeInstanceOf(NotFound);
    await expect(listAuditEvents(a.admin, { userId: b.admin.userId })).resolves.toEqual({
      data: [],
    });
  });

  it("refuses callers without TenantAdmin, even with a forged tenant in the query", async () => {
    const { other, admin } = await adminTenant();
    await record(admin, "api-key.created", "k");
    await expect(listAuditEvents(other)).rejects.toBeInstanceOf(Forbidden);
    const event = (await listAuditEvents(admin)).data[0];
    await expect(getAuditEvent(other, event.id)).rejects.toBeInstanceOf(Forbidden);
  });

  it("refuses bad input with a clear error naming the parameter", async () => {
    const { admin } = await adminTenant();
    const field = async (query: Parameters<typeof listAuditEvents>[1]) => {
      const error = await listAuditEvents(admin, query).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Invalid);
      return (error as Invalid).field;
    };
    expect(await field({ limit: 0 })).toBe("limit");
    expect(await field({ limit: 101 })).toBe("limit");
    expect(await field({ limit: 1.5 })).toBe("limit");
    expect(await field({ next: "not-a-cursor" })).toBe("next");
    expect(await field({ eventType: "api-key.exploded" as never })).toBe("eventType");
    expect(await field({ sort: "eventType" as never })).toBe("sort");
    expect(await field({ start: new Date("2026-02-01"), end: new Date("2026-01-01") })).toBe(
      "eventTime",
    );
    expect(() => parseEventTimeInterval("yesterday/today")).toThrow(Invalid);
    expect(parseEventTimeInterval("2026-01-01T00:00:00Z/")).toEqual({
      start: new Date("2026-01-01T00:00:00Z"),
      end: undefined,
    });
  });

  it("answers in Qlik Cloud's audit shape", async () => {
    const { admin } = await adminTenant();
    await record(admin, "api-key.created", "keyQ");
    const [event] = (await listAuditEvents(admin)).data;
    expect(toAuditEventDto(event)).toEqual({
      id: event.id,
      eventType: "api-key.created",
      eventTime: event.eventTime,
      tenantId: admin.tenantId,
      userId: admin.userId,
      source: "console",
      data: { n: 1 },
      extensions: {
        actor: { sub: admin.userId, subType: "user" },
        apiKeyId: "keyQ",
        ip: "127.0.0.1",
        userAgent: "vitest",
      },
    });
  });
});
