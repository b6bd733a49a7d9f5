import "server-only";
import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { hexSuccessor } from "@/lib/api-keys/key-search";
import { Invalid, NotFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { isStorableTime } from "@/lib/validation/time";
import { AUDIT_EVENT_TYPES } from "./event-types";

export const AUDIT_PAGE_SIZE_DEFAULT = 10;
export const AUDIT_PAGE_SIZE_MAX = 100;
export const AUDIT_SORTS = ["-eventTime", "+eventTime"] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

/** One event as the console shows it: the record plus who the actor is. */
export interface AuditEventView {
  id: string;
  seq: number;
  eventType: string;
  eventTime: string;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  source: string;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  actor: { name: string; email: string } | null;
}

/** The REST shape of `GET /api/v1/audits` (Qlik Cloud's audit event). */
export interface AuditEventDto {
  id: string;
  eventType: string;
  eventTime: string;
  tenantId: string;
  userId: string | null;
  source: string;
  data: unknown;
  extensions: {
    actor: { sub: string | null; subType: "user" };
    apiKeyId?: string;
    ip?: string;
    userAgent?: string;
  };
}

export interface AuditEventPage {
  data: AuditEventView[];
  /** Opaque cursors for the neighbouring pages, absent when there is none. */
  next?: string;
  prev?: string;
}

const idFilter = (name: string) =>
  z
    .string({ error: `${name} must be a string.` })
    .trim()
    .min(1, `${name} cannot be empty.`)
    .max(64, `${name} is too long.`);

/** Key IDs are 24 lowercase hex characters; the Events page finds a key from 3 of its first ones. */
const KEY_ID_PREFIX = /^[0-9a-f]{3,24}$/;
const KEY_ID_PREFIX_MESSAGE = "Key ID: give at least 3 characters of its start (0-9, a-f).";

/** Events are counted up to this many; past it, "at least" (a count never scans the whole log). */
export const AUDIT_COUNT_CAP = 1000;

export const auditQuerySchema = z.object({
  eventType: z
    .enum(AUDIT_EVENT_TYPES, { error: `eventType must be one of ${AUDIT_EVENT_TYPES.join(", ")}.` })
    .optional(),
  userId: idFilter("userId").optional(),
  apiKeyId: idFilter("apiKeyId").optional(),
  apiKeyIdPrefix: z
    .string({ error: KEY_ID_PREFIX_MESSAGE })
    .trim()
    .toLowerCase()
    .regex(KEY_ID_PREFIX, KEY_ID_PREFIX_MESSAGE)
    .optional(),
  start: z.date().optional(),
  end: z.date().optional(),
  limit: z
    .number({ error: `limit must be a whole number from 1 to ${AUDIT_PAGE_SIZE_MAX}.` })
    .int(`limit must be a whole number from 1 to ${AUDIT_PAGE_SIZE_MAX}.`)
    .min(1, `limit must be a whole number from 1 to ${AUDIT_PAGE_SIZE_MAX}.`)
    .max(AUDIT_PAGE_SIZE_MAX, `limit can be at most ${AUDIT_PAGE_SIZE_MAX}.`)
    .default(AUDIT_PAGE_SIZE_DEFAULT),
  sort: z
    .enum(AUDIT_SORTS, { error: "sort must be -eventTime or +eventTime." })
    .default("-eventTime"),
  next: z.string().max(200).optional(),
  prev: z.string().max(200).optional(),
});

export type AuditEventQuery = z.input<typeof auditQuerySchema>;
export type AuditEventFilters = Pick<
  AuditEventQuery,
  "eventType" | "userId" | "apiKeyId" | "apiKeyIdPrefix" | "start" | "end"
>;

interface Cursor {
  eventTime: Date;
  seq: number;
}

/** A page's cursor: the event time and place in the chain of the row it starts after. */
function cursorOf(event: { eventTime: string; seq: number }): string {
  return encodeCursor([event.eventTime, event.seq]);
}

function isCursorValue(value: unknown): value is [string, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === "string" &&
    isStorableTime(new Date(value[0])) &&
    // A place in the chain: a 32-bit column on PostgreSQL.
    Number.isInteger(value[1]) &&
    value[1] >= 0 &&
    value[1] <= 2_147_483_647
  );
}

function readCursor(token: string, parameter: "next" | "prev"): Cursor {
  const [time, seq] = decodeCursor(token, parameter, isCursorValue);
  return { eventTime: new Date(time), seq };
}

/** Keyset condition: events strictly after the cursor in scan order (eventTime, then seq). */
function afterCursor(cursor: Cursor, descending: boolean): Prisma.AuditEventWhereInput {
  const { eventTime, seq } = cursor;
  return descending
    ? {
        AND: [
          { eventTime: { lte: eventTime } },
          { OR: [{ eventTime: { lt: eventTime } }, { seq: { lt: seq } }] },
        ],
      }
    : {
        AND: [
          { eventTime: { gte: eventTime } },
          { OR: [{ eventTime: { gt: eventTime } }, { seq: { gt: seq } }] },
        ],
      };
}

function filterWhere(tenantId: string, filters: AuditEventFilters): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { tenantId };
  if (filters.eventType) where.eventType = filters.eventType;
  if (filters.userId) where.userId = filters.userId;
  if (filters.apiKeyId) where.apiKeyId = filters.apiKeyId;
  else if (filters.apiKeyIdPrefix) {
    // IDs starting with the prefix, as a range the (tenantId, apiKeyId) index answers.
    const to = hexSuccessor(filters.apiKeyIdPrefix);
    where.apiKeyId = to ? { gte: filters.apiKeyIdPrefix, lt: to } : { gte: filters.apiKeyIdPrefix };
  }
  if (filters.start || filters.end) where.eventTime = { gte: filters.start, lt: filters.end };
  return where;
}

type EventRow = Prisma.AuditEventGetPayload<object>;

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

async function toViews(tenantId: string, rows: EventRow[]): Promise<AuditEventView[]> {
  const userIds = [...new Set(rows.map((row) => row.userId).filter((id): id is string => !!id))];
  const users =
    userIds.length === 0
      ? []
      : await db.user.findMany({
          where: { tenantId, id: { in: userIds } },
          select: { id: true, name: true, email: true },
        });
  const byId = new Map(users.map((user) => [user.id, user]));
  return rows.map((row) => {
    const actor = row.userId ? byId.get(row.userId) : undefined;
    return {
      id: row.id,
      seq: row.seq,
      eventType: row.eventType,
      eventTime: row.eventTime.toISOString(),
      tenantId: row.tenantId,
      userId: row.userId,
      apiKeyId: row.apiKeyId,
      source: row.source,
      ip: row.ip,
      userAgent: row.userAgent,
      data: parseData(row.data),
      actor: actor ? { name: actor.name, email: actor.email } : null,
    };
  });
}

/**
 * The tenant's audit events, newest first by default, filtered and paged by keyset on
 * (eventTime, seq) so that every page is an index range scan, however long the log grows.
 */
export async function listAuditEvents(
  principal: Principal,
  query: AuditEventQuery = {},
): Promise<AuditEventPage> {
  requireRole(principal, "TenantAdmin");
  return auditEventPage(principal.tenantId, query);
}

/** How many events match the filters, counted up to AUDIT_COUNT_CAP. */
export async function countAuditEvents(
  principal: Principal,
  filters: AuditEventFilters,
): Promise<{ total: number; capped: boolean }> {
  requireRole(principal, "TenantAdmin");
  const input = parseInput(auditQuerySchema, filters);
  const total = await db.auditEvent.count({
    where: filterWhere(principal.tenantId, input),
    take: AUDIT_COUNT_CAP + 1,
  });
  return { total: Math.min(total, AUDIT_COUNT_CAP), capped: total > AUDIT_COUNT_CAP };
}

/**
 * The events of one key, for its page: its owner and the tenant's admins see them; anyone else
 * finds nothing, as for the key itself.
 */
export async function listApiKeyAuditEvents(
  principal: Principal,
  apiKeyId: string,
  query: Omit<AuditEventQuery, "apiKeyId"> = {},
): Promise<AuditEventPage> {
  if (!hasRole(principal, "TenantAdmin")) {
    const own = await db.apiKey.findFirst({
      where: { id: apiKeyId, tenantId: principal.tenantId, ownerId: principal.userId },
      select: { id: true },
    });
    if (!own) throw new NotFound("API key not found.");
  }
  return auditEventPage(principal.tenantId, { ...query, apiKeyId });
}

async function auditEventPage(tenantId: string, query: AuditEventQuery): Promise<AuditEventPage> {
  const input = parseInput(auditQuerySchema, query);
  if (input.next && input.prev) throw new Invalid("Give next or prev, not both.", "prev");
  if (input.start && input.end && input.start >= input.end) {
    throw new Invalid("The start of the time range must be before its end.", "eventTime");
  }
  const descending = input.sort === "-eventTime";
  const backwards = input.prev !== undefined;
  const scanDescending = backwards ? !descending : descending;
  const cursorToken = input.next ?? input.prev;
  const where = filterWhere(tenantId, input);
  const rows = await db.auditEvent.findMany({
    where: cursorToken
      ? {
          AND: [
            where,
            afterCursor(readCursor(cursorToken, backwards ? "prev" : "next"), scanDescending),
          ],
        }
      : where,
    orderBy: [
      { eventTime: scanDescending ? "desc" : "asc" },
      { seq: scanDescending ? "desc" : "asc" },
    ],
    take: input.limit + 1,
  });
  const more = rows.length > input.limit;
  const pageRows = rows.slice(0, input.limit);
  if (backwards) pageRows.reverse();
  const data = await toViews(tenantId, pageRows);
  const first = data[0];
  const last = data[data.length - 1];
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : cursorToken !== undefined;
  return {
    data,
    next: hasNext && last ? cursorOf(last) : undefined,
    prev: hasPrev && first ? cursorOf(first) : undefined,
  };
}

/** One event of the caller's tenant; another tenant's ID finds nothing. */
export async function getAuditEvent(principal: Principal, id: unknown): Promise<AuditEventView> {
  requireRole(principal, "TenantAdmin");
  const eventId = parseInput(idFilter("id"), id, "id");
  const row = await db.auditEvent.findFirst({
    where: { id: eventId, tenantId: principal.tenantId },
  });
  if (!row) throw new NotFound("Event not found.");
  const [view] = await toViews(principal.tenantId, [row]);
  return view;
}

/** The tenant's users, for the console's user filter. */
export async function listAuditUsers(
  principal: Principal,
): Promise<{ id: string; name: string; email: string }[]> {
  requireRole(principal, "TenantAdmin");
  return db.user.findMany({
    where: { tenantId: principal.tenantId },
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 1000,
  });
}

export function toAuditEventDto(event: AuditEventView): AuditEventDto {
  const extensions: AuditEventDto["extensions"] = {
    actor: { sub: event.userId, subType: "user" },
  };
  if (event.apiKeyId) extensions.apiKeyId = event.apiKeyId;
  if (event.ip) extensions.ip = event.ip;
  if (event.userAgent) extensions.userAgent = event.userAgent;
  return {
    id: event.id,
    eventType: event.eventType,
    eventTime: event.eventTime,
    tenantId: event.tenantId,
    userId: event.userId,
    source: event.source,
    data: event.data,
    extensions,
  };
}

/** Parses a Qlik `eventTime` interval, `start/end`, either side optional. */
export function parseEventTimeInterval(value: string): { start?: Date; end?: Date } {
  const parts = value.split("/");
  const invalid = () =>
    new Invalid(
      "eventTime must be an ISO-8601 interval such as 2026-01-01T00:00:00Z/2026-02-01T00:00:00Z.",
      "eventTime",
    );
  if (parts.length !== 2 || (!parts[0] && !parts[1])) throw invalid();
  const toDate = (text: string) => {
    if (!text) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) throw invalid();
    const date = new Date(text);
    if (!isStorableTime(date)) throw invalid();
    return date;
  };
  return { start: toDate(parts[0]), end: toDate(parts[1]) };
}
