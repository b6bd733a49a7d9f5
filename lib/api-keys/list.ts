import "server-only";
import { z } from "zod";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { Invalid } from "@/lib/errors";
import { toApiKeyDto, type ApiKeyDto } from "./dto";
import { API_KEY_STATUSES, type ApiKeyStatus } from "./schemas";
import { apiKeyStatus, statusWhere } from "./status";

const SORT_FIELDS = ["created", "description", "status", "sub", "createdByUser"] as const;
type SortField = (typeof SORT_FIELDS)[number];
const SORT_PATTERN = new RegExp(`^[+-]?(${SORT_FIELDS.join("|")})$`);

const cursorSchema = (name: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{24}$/, `${name} must be an API key ID (24 hexadecimal characters).`)
    .optional();

/** `GET /api-keys` query parameters (also the OpenAPI description of them). */
export const listApiKeysQuerySchema = z
  .object({
    status: z
      .enum(API_KEY_STATUSES, { error: "status must be active, expired or revoked." })
      .optional()
      .meta({ description: "Only keys of this status." }),
    sub: z.string().max(64).optional().meta({ description: "Only keys of this owner (user ID)." }),
    createdByUser: z
      .string()
      .max(64)
      .optional()
      .meta({ description: "Only keys created by this user (user ID)." }),
    sort: z
      .string()
      .regex(SORT_PATTERN, `sort must be [+-]${SORT_FIELDS.join("|")}.`)
      .default("-created")
      .meta({ description: "Field to sort by, `-` for descending.", example: "-created" }),
    limit: z.coerce
      .number({ error: "limit must be a whole number from 1 to 100." })
      .int("limit must be a whole number from 1 to 100.")
      .min(1, "limit must be a whole number from 1 to 100.")
      .max(100, "limit must be a whole number from 1 to 100.")
      .default(20)
      .meta({ description: "Keys per page, 1–100." }),
    startingAfter: cursorSchema("startingAfter").meta({
      description: "Page forward: keys after this key ID.",
    }),
    endingBefore: cursorSchema("endingBefore").meta({
      description: "Page back: keys before this key ID.",
    }),
  })
  .refine((query) => !(query.startingAfter && query.endingBefore), {
    message: "Give startingAfter or endingBefore, not both.",
    path: ["endingBefore"],
  });

export type ListApiKeysQuery = z.output<typeof listApiKeysQuerySchema>;

export interface ApiKeyPage {
  data: ApiKeyDto[];
  /** Key IDs to page on from, when there is a next or previous page. */
  nextStartingAfter?: string;
  prevEndingBefore?: string;
}

type KeyRow = Prisma.ApiKeyGetPayload<object>;
type Direction = "asc" | "desc";

const COLUMN: Record<Exclude<SortField, "status">, "createdAt" | "description" | "ownerId"> = {
  created: "createdAt",
  description: "description",
  sub: "ownerId",
  createdByUser: "ownerId",
};

function flip(direction: Direction): Direction {
  return direction === "asc" ? "desc" : "asc";
}

/** Keys strictly after `cursor` in (column, id) order, going `direction`. */
function afterWhere(
  column: "createdAt" | "description" | "ownerId",
  cursor: KeyRow,
  direction: Direction,
): Prisma.ApiKeyWhereInput {
  const op = direction === "asc" ? "gt" : "lt";
  return {
    OR: [
      { [column]: { [op]: cursor[column] } },
      { [column]: cursor[column], id: { [op]: cursor.id } },
    ],
  };
}

/**
 * Keys from `cursor` onwards (exclusive), `take` at most, in the order of a column sort. The
 * order always ends in the key ID, so that pages never overlap or skip keys with equal values.
 */
async function takeByColumn(
  where: Prisma.ApiKeyWhereInput,
  column: "createdAt" | "description" | "ownerId",
  direction: Direction,
  cursor: KeyRow | null,
  take: number,
): Promise<KeyRow[]> {
  return db.apiKey.findMany({
    where: cursor ? { AND: [where, afterWhere(column, cursor, direction)] } : where,
    orderBy: [{ [column]: direction }, { id: direction }],
    take,
  });
}

/** Status is derived, so its sort walks the statuses one after another, by key ID within each. */
async function takeByStatus(
  where: Prisma.ApiKeyWhereInput,
  direction: Direction,
  cursor: KeyRow | null,
  take: number,
  now: Date,
): Promise<KeyRow[]> {
  const order: ApiKeyStatus[] =
    direction === "asc" ? [...API_KEY_STATUSES] : [...API_KEY_STATUSES].reverse();
  const cursorStatus = cursor ? apiKeyStatus(cursor, now) : null;
  const rows: KeyRow[] = [];
  for (const status of order.slice(cursorStatus ? order.indexOf(cursorStatus) : 0)) {
    if (rows.length >= take) break;
    const idAfter =
      cursor && status === cursorStatus
        ? { id: { [direction === "asc" ? "gt" : "lt"]: cursor.id } }
        : {};
    rows.push(
      ...(await db.apiKey.findMany({
        where: { AND: [where, statusWhere(status, now), idAfter] },
        orderBy: { id: direction },
        take: take - rows.length,
      })),
    );
  }
  return rows;
}

/**
 * `GET /api-keys`: everyone sees their own keys, a tenant admin every key of the tenant. Keyset
 * pagination on key IDs (`startingAfter` / `endingBefore`), so that pages stay fast and stable at
 * any size.
 */
export async function listApiKeys(
  principal: Principal,
  query: ListApiKeysQuery,
): Promise<ApiKeyPage> {
  const now = new Date();
  const visible: Prisma.ApiKeyWhereInput = hasRole(principal, "TenantAdmin")
    ? { tenantId: principal.tenantId }
    : { tenantId: principal.tenantId, ownerId: principal.userId };
  const filters: Prisma.ApiKeyWhereInput[] = [visible];
  if (query.sub) filters.push({ ownerId: query.sub });
  if (query.createdByUser) filters.push({ ownerId: query.createdByUser });
  if (query.status) filters.push(statusWhere(query.status, now));
  const where: Prisma.ApiKeyWhereInput = { AND: filters };

  const field = query.sort.replace(/^[+-]/, "") as SortField;
  const sortDirection: Direction = query.sort.startsWith("-") ? "desc" : "asc";
  const backwards = query.endingBefore !== undefined;
  const cursorId = query.endingBefore ?? query.startingAfter;
  const cursorParameter = backwards ? "endingBefore" : "startingAfter";
  let cursor: KeyRow | null = null;
  if (cursorId) {
    cursor = await db.apiKey.findFirst({ where: { ...visible, id: cursorId } });
    if (!cursor)
      throw new Invalid(`${cursorParameter} is not a key of this list.`, cursorParameter);
  }

  const take = (direction: Direction, from: KeyRow | null, count: number) =>
    field === "status"
      ? takeByStatus(where, direction, from, count, now)
      : takeByColumn(where, COLUMN[field], direction, from, count);

  const walk = backwards ? flip(sortDirection) : sortDirection;
  const rows = await take(walk, cursor, query.limit + 1);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page.at(-1);
  let hasNext: boolean;
  let hasPrev: boolean;
  if (backwards) {
    hasPrev = more;
    hasNext = last ? (await take(sortDirection, last, 1)).length > 0 : false;
  } else {
    hasNext = more;
    hasPrev = first ? (await take(flip(sortDirection), first, 1)).length > 0 : false;
  }
  return {
    data: page.map((key) => toApiKeyDto(key, now)),
    nextStartingAfter: hasNext && last ? last.id : undefined,
    prevEndingBefore: hasPrev && first ? first.id : undefined,
  };
}
