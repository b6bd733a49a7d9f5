import "server-only";
import { z } from "zod";
import { searchTermSchema } from "@/lib/validation/search";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { searchApiKeyRows } from "@/lib/db";
import { Invalid } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import type { ApiKeyView } from "./dto";
import type { KeyCursor, KeySearchRow, KeySortField } from "./key-search";
import { API_KEY_STATUSES } from "./schemas";
import { apiKeyStatus } from "./status";

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
  /** Matching keys, counted up to ADMIN_KEY_COUNT_CAP. */
  total: number;
  totalCapped: boolean;
  sort: { field: KeySortField; direction: "asc" | "desc" };
}

const cursorSchema = z.object({
  v: z.string().max(1024).nullable(),
  r: z.union([z.number().int(), z.string().max(64)]),
  s: z.enum(API_KEY_STATUSES).optional(),
});

export function encodeCursor(cursor: KeyCursor): string {
  const payload = {
    v: cursor.value,
    r: cursor.tie,
    ...(cursor.status ? { s: cursor.status } : {}),
  };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}

function decodeCursor(raw: string | undefined): KeyCursor | undefined {
  if (!raw) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString()));
    if (parsed.success) return { value: parsed.data.v, tie: parsed.data.r, status: parsed.data.s };
  } catch {
    // Falls through to the error below.
  }
  throw new Invalid(
    "This page link is no longer valid; start again from the first page.",
    "cursor",
  );
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
 * Every key of the caller's tenant, for tenant admins: search by key ID (exact or prefix), name
 * (substring, any case) or owner (name or email); filter by status; sort; page by cursor.
 */
export async function searchTenantApiKeys(
  principal: Principal,
  query: unknown,
): Promise<AdminKeyPage> {
  requireRole(principal, "TenantAdmin");
  const input = parseInput(adminKeyQuerySchema, query ?? {});
  const direction = input.sort.startsWith("-") ? "desc" : "asc";
  const field = input.sort.replace(/^[+-]/, "") as KeySortField;
  const after = decodeCursor(input.after);
  const before = after ? undefined : decodeCursor(input.before);
  const now = new Date();
  const params = {
    tenantId: principal.tenantId,
    term: input.search,
    status: input.status,
    now,
  };
  const page = await searchApiKeyRows(
    { ...params, sort: field, direction, after, before, limit: input.limit },
    ADMIN_KEY_COUNT_CAP,
  );
  const total = page.total;
  const first = page.rows[0];
  const last = page.rows.at(-1);
  return {
    keys: page.rows.map((row) => toView(row, now)),
    nextCursor: page.hasNext && last ? encodeCursor(cursorOf(last, field, now)) : null,
    previousCursor: page.hasPrevious && first ? encodeCursor(cursorOf(first, field, now)) : null,
    total: total.count,
    totalCapped: total.capped,
    sort: { field, direction },
  };
}
