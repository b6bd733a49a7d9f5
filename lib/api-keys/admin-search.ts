import "server-only";
import { z } from "zod";
import { searchTermSchema } from "@/lib/validation/search";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { searchApiKeyRows } from "@/lib/db";
import { Invalid } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { isStorableTime } from "@/lib/validation/time";
import { withInactiveReasons } from "./details";
import type { ApiKeyView } from "./dto";
import {
  keySearchMatch,
  type KeyCursor,
  type KeySearchRow,
  type KeySortField,
  type KeyStatusFilter,
} from "./key-search";
import { API_KEY_STATUSES, type ApiKeyStatus } from "./schemas";
import { apiKeyStatus, statusWhere } from "./status";

export const ADMIN_KEY_SORT_FIELDS = [
  "created",
  "name",
  "owner",
  "expires",
  "lastUsed",
  "status",
] as const satisfies readonly KeySortField[];

/** Counting stops here: "1,000+" says enough and never walks a million rows. */
export const ADMIN_KEY_COUNT_CAP = 1000;
export const ADMIN_KEY_PAGE_SIZE = 25;

const SORT_PATTERN = new RegExp(`^[+-]?(${ADMIN_KEY_SORT_FIELDS.join("|")})$`);

export const adminKeyQuerySchema = z.object({
  search: searchTermSchema,
  status: z
    .enum(API_KEY_STATUSES, { error: "Status must be active, expired or revoked." })
    .optional(),
  sort: z
    .string()
    .regex(SORT_PATTERN, `Sort must be one of ${ADMIN_KEY_SORT_FIELDS.join(", ")}, with + or -.`)
    .default("-created"),
  after: z.string().max(2048).optional(),
  before: z.string().max(2048).optional(),
  limit: z.coerce
    .number()
    .int("Limit must be a whole number from 1 to 100.")
    .min(1, "Limit must be a whole number from 1 to 100.")
    .max(100, "Limit must be a whole number from 1 to 100.")
    .default(ADMIN_KEY_PAGE_SIZE),
});
export type AdminKeyQuery = z.input<typeof adminKeyQuerySchema>;

export interface AdminKeyPage {
  keys: ApiKeyView[];
  /** Opaque cursors for the neighbouring pages; null when there is none. */
  nextCursor: string | null;
  previousCursor: string | null;
  /**
   * Matching keys, counted up to ADMIN_KEY_COUNT_CAP. When `totalCapped`, at least this many
   * match: counting stopped at the cap, or earlier where nothing cheap could count further.
   */
  total: number;
  totalCapped: boolean;
  sort: { field: KeySortField; direction: "asc" | "desc" };
}

const cursorSchema = z.object({
  v: z.string().max(1024).nullable(),
  r: z.union([z.number().int(), z.string().max(64)]),
  s: z.enum(API_KEY_STATUSES).optional(),
});

function isCursorValue(value: unknown): value is z.infer<typeof cursorSchema> {
  return cursorSchema.safeParse(value).success;
}

/** A page's cursor: the sort value, tie-breaker and (status sort) status of its edge row. */
function cursorToken(cursor: KeyCursor): string {
  return encodeCursor({
    v: cursor.value,
    r: cursor.tie,
    ...(cursor.status ? { s: cursor.status } : {}),
  });
}

/** Sorts whose cursor holds a time, which PostgreSQL casts: a forged one must be a storable time. */
const TIME_SORTS: ReadonlySet<KeySortField> = new Set(["created", "expires", "lastUsed", "status"]);

function readCursor(
  raw: string | undefined,
  parameter: "after" | "before",
  sort: KeySortField,
): KeyCursor | undefined {
  if (!raw) return undefined;
  const message = "This page link is no longer valid; start again from the first page.";
  const { v, r, s } = decodeCursor(raw, parameter, isCursorValue, message);
  if (TIME_SORTS.has(sort) && v !== null && !isStorableTime(new Date(v))) {
    throw new Invalid(message, parameter);
  }
  return { value: v, tie: r, status: s };
}

function rowStatus(row: KeySearchRow, now: Date) {
  return apiKeyStatus(
    {
      revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
      expiresAt: new Date(row.expiresAt),
    },
    now,
  );
}

/** The value a row is sorted by, for the cursor that starts the next page. */
function cursorOf(row: KeySearchRow, sort: KeySortField, now: Date): KeyCursor {
  const value = {
    created: row.createdAt,
    name: row.description,
    owner: row.ownerName,
    expires: row.expiresAt,
    lastUsed: row.lastUsedAt,
    status: row.createdAt,
  }[sort];
  return { value, tie: row.tie, ...(sort === "status" ? { status: rowStatus(row, now) } : {}) };
}

function toView(row: KeySearchRow, now: Date): ApiKeyView {
  const iso = (value: string) => new Date(value).toISOString();
  return {
    id: row.id,
    description: row.description,
    hint: row.hint,
    ownerId: row.ownerId,
    ownerName: row.ownerName,
    ownerEmail: row.ownerEmail,
    status: rowStatus(row, now),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: row.lastUsedAt ? iso(row.lastUsedAt) : null,
    revokedAt: row.revokedAt ? iso(row.revokedAt) : null,
  };
}

/**
 * Every key of the caller's tenant, for tenant admins: search by key ID (exact or prefix), name,
 * owner name or email (any case; inside them from three characters, from their start below
 * that); filter by status; sort; page by cursor.
 */
export async function searchTenantApiKeys(
  principal: Principal,
  query: unknown,
): Promise<AdminKeyPage> {
  requireRole(principal, "TenantAdmin");
  const input = parseInput(adminKeyQuerySchema, query ?? {});
  const direction = input.sort.startsWith("-") ? "desc" : "asc";
  const field = input.sort.replace(/^[+-]/, "") as KeySortField;
  const after = readCursor(input.after, "after", field);
  const before = after ? undefined : readCursor(input.before, "before", field);
  const now = new Date();
  const filter = (status: ApiKeyStatus): KeyStatusFilter => ({
    status,
    where: statusWhere(status, now),
  });
  const page = await searchApiKeyRows(
    {
      tenantId: principal.tenantId,
      match: keySearchMatch(input.search),
      status: input.status && filter(input.status),
      statusTiers: (input.status ? [input.status] : API_KEY_STATUSES).map(filter),
      sort: field,
      direction,
      after,
      before,
      limit: input.limit,
    },
    ADMIN_KEY_COUNT_CAP,
  );
  // A count that stopped early is a floor; the keys of this page, and one past it, match as well.
  const seen = page.rows.length + (page.hasNext ? 1 : 0);
  const total = page.total.capped
    ? { count: Math.min(Math.max(page.total.count, seen), ADMIN_KEY_COUNT_CAP), capped: true }
    : page.total;
  const first = page.rows[0];
  const last = page.rows.at(-1);
  return {
    keys: await withInactiveReasons(
      principal.tenantId,
      page.rows.map((row) => toView(row, now)),
    ),
    nextCursor: page.hasNext && last ? cursorToken(cursorOf(last, field, now)) : null,
    previousCursor: page.hasPrevious && first ? cursorToken(cursorOf(first, field, now)) : null,
    total: total.count,
    totalCapped: total.capped,
    sort: { field, direction },
  };
}
