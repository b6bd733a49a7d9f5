import "server-only";
import { z } from "zod";
import { withPageCursors } from "@/lib/validation/page-cursors";
import { requireRole } from "@/lib/auth/guards";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { db } from "@/lib/db";
import { containsIgnoringCase } from "@/lib/db/text-filter";
import { Invalid, NotFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseInput } from "@/lib/validation/parse";
import {
  FilterSyntaxError,
  parseUserFilter,
  type FilterAttribute,
  type UserFilter,
} from "./filter";
import { userIdSchema } from "./admin";
import { userStatus, type UserStatus } from "./status";

/** A user in Qlik Cloud's shape (SPEC §10). */
export interface UserDto {
  id: string;
  tenantId: string;
  subject: string;
  name: string;
  email: string;
  status: UserStatus;
  assignedRoles: { name: string }[];
  createdAt: string;
  lastUpdatedAt: string;
}

type UserRecord = Prisma.UserGetPayload<object>;

/** The subject Keyward gives a user who came without one from an identity provider. */
export function subjectOf(user: { id: string; subject: string | null }): string {
  return user.subject ?? `keyward|${user.id}`;
}

export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user.id,
    tenantId: user.tenantId,
    subject: subjectOf(user),
    name: user.name,
    email: user.email,
    status: userStatus(user),
    assignedRoles: rolesOf(user).map((name) => ({ name })),
    createdAt: user.createdAt.toISOString(),
    lastUpdatedAt: user.updatedAt.toISOString(),
  };
}

type SortField = "name" | "email" | "createdAt";

const filterSchema = z
  .string()
  .max(2000, "filter can be at most 2000 characters.")
  .optional()
  .meta({
    description:
      'SCIM-style: `eq` on id, email, name, status, assignedRoles.name; `co` on name and email; `and`, `or`, parentheses. For example `name co "ada" and status eq "active"`.',
  });

export const listUsersQuerySchema = withPageCursors({
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 100." })
    .int("limit must be a whole number from 1 to 100.")
    .min(1, "limit must be a whole number from 1 to 100.")
    .max(100, "limit must be a whole number from 1 to 100.")
    .default(20)
    .meta({ description: "Users per page, 1–100." }),
  sort: z
    .string()
    .regex(/^[+-]?(name|email|createdAt)$/, "sort must be name, email or createdAt, with + or -.")
    .default("+name")
    .meta({ description: "`name`, `email` or `createdAt`, `-` first for descending." }),
  filter: filterSchema,
  totalResults: z
    .enum(["true", "false"], { error: "totalResults must be true or false." })
    .optional()
    .meta({ description: "`true` adds `totalResults`, the count of every match." }),
});

export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const countUsersQuerySchema = z.object({
  filter: filterSchema,
});

/** Where a page starts: after (or before) the row with this sort value and ID. */
interface UserCursor {
  sort: string;
  value: string;
  id: string;
  direction: "next" | "prev";
}

function isUserCursor(value: unknown): value is UserCursor {
  if (typeof value !== "object" || value === null) return false;
  const cursor = value as Record<string, unknown>;
  return (
    typeof cursor.sort === "string" &&
    typeof cursor.value === "string" &&
    typeof cursor.id === "string" &&
    (cursor.direction === "next" || cursor.direction === "prev")
  );
}

const NOTHING: Prisma.UserWhereInput = { id: { in: [] } };

const STATUS_WHERE: Record<string, Prisma.UserWhereInput> = {
  active: { disabledAt: null, invitedAt: null },
  invited: { disabledAt: null, invitedAt: { not: null } },
  disabled: { disabledAt: { not: null } },
};

/** A parsed filter as a Prisma condition, within the tenant. */
function filterWhere(filter: UserFilter): Prisma.UserWhereInput {
  if (filter.kind !== "test") {
    const both = [filterWhere(filter.left), filterWhere(filter.right)];
    return filter.kind === "and" ? { AND: both } : { OR: both };
  }
  const { attribute, op, value } = filter;
  switch (attribute satisfies FilterAttribute) {
    case "id":
      return { id: value };
    case "email":
      return {
        email: op === "co" ? containsIgnoringCase(value) : value.trim().toLowerCase(),
      };
    case "name":
      return { name: op === "co" ? containsIgnoringCase(value) : value };
    case "status":
      return STATUS_WHERE[value.toLowerCase()] ?? NOTHING;
    case "assignedRoles.name": {
      const role = value.toLowerCase();
      if (role === "tenantadmin") return { isTenantAdmin: true };
      if (role === "developer") return { isDeveloper: true };
      return NOTHING;
    }
  }
  return NOTHING;
}

function tenantWhere(principal: Principal, filter: string | undefined): Prisma.UserWhereInput {
  if (!filter) return { tenantId: principal.tenantId };
  try {
    return { AND: [{ tenantId: principal.tenantId }, filterWhere(parseUserFilter(filter))] };
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new Invalid(error.message, "filter");
    throw error;
  }
}

function sortValue(user: UserRecord, field: SortField): string {
  return field === "createdAt" ? user.createdAt.toISOString() : user[field];
}

/** The rows past `cursor` in the order of `field`, ties broken by ID. */
function pastCursor(
  field: SortField,
  cursor: UserCursor,
  ascending: boolean,
): Prisma.UserWhereInput {
  const value = field === "createdAt" ? new Date(cursor.value) : cursor.value;
  if (field === "createdAt" && Number.isNaN((value as Date).getTime())) {
    throw new Invalid(
      `${cursor.direction} is not a cursor from a previous page.`,
      cursor.direction,
    );
  }
  const beyond = ascending ? "gt" : "lt";
  return {
    OR: [{ [field]: { [beyond]: value } }, { [field]: value, id: { [beyond]: cursor.id } }],
  };
}

export interface UserPage {
  data: UserDto[];
  total?: number;
  next?: string;
  prev?: string;
}

/** The tenant's users, filtered and sorted, one page at a time (TenantAdmin). */
export async function listUsers(principal: Principal, query: ListUsersQuery): Promise<UserPage> {
  requireRole(principal, "TenantAdmin");
  const where = tenantWhere(principal, query.filter);
  const descending = query.sort.startsWith("-");
  const field = query.sort.replace(/^[+-]/, "") as SortField;
  const token = query.next ?? query.prev;
  const parameter = query.next ? "next" : "prev";
  const cursor = token ? decodeCursor(token, parameter, isUserCursor) : undefined;
  if (cursor && (cursor.sort !== query.sort || cursor.direction !== parameter)) {
    throw new Invalid(`${parameter} belongs to another sort order.`, parameter);
  }
  const backwards = cursor?.direction === "prev";
  // Walking back reads the rows before the cursor in reverse order, then turns them round.
  const ascending = descending === backwards;
  const direction = ascending ? "asc" : "desc";
  const rows = await db.user.findMany({
    where: cursor ? { AND: [where, pastCursor(field, cursor, ascending)] } : where,
    orderBy: [{ [field]: direction }, { id: direction }],
    take: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const link = (user: UserRecord | undefined, to: "next" | "prev") =>
    user &&
    encodeCursor({ sort: query.sort, value: sortValue(user, field), id: user.id, direction: to });
  // Forwards, a previous page exists when we came from a cursor; backwards, when more rows remain.
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : cursor !== undefined;
  return {
    data: page.map(toUserDto),
    total: query.totalResults === "true" ? await db.user.count({ where }) : undefined,
    next: hasNext && page.length > 0 ? link(page.at(-1), "next") : undefined,
    prev: hasPrev && page.length > 0 ? link(page[0], "prev") : undefined,
  };
}

/** How many of the tenant's users match (TenantAdmin). */
export async function countUsers(
  principal: Principal,
  filter?: string,
): Promise<{ total: number }> {
  requireRole(principal, "TenantAdmin");
  return { total: await db.user.count({ where: tenantWhere(principal, filter) }) };
}

/** A user of the tenant: yourself, or anyone for a TenantAdmin; otherwise not found. */
export async function getUser(principal: Principal, userId: unknown): Promise<UserDto> {
  const id = parseInput(userIdSchema, userId, "userId");
  if (id !== principal.userId) requireRole(principal, "TenantAdmin");
  const user = await db.user.findFirst({ where: { id, tenantId: principal.tenantId } });
  if (!user) throw new NotFound("User not found.");
  return toUserDto(user);
}
