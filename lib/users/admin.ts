import "server-only";
import { z } from "zod";
import { searchTermSchema } from "@/lib/validation/search";
import { recordEvent } from "@/lib/audit/record";
import { statusWhere } from "@/lib/api-keys/status";
import { requireRole } from "@/lib/auth/guards";
import { endAllSessions } from "@/lib/auth/sessions";
import { rolesOf, type Principal, type Role } from "@/lib/auth/principal";
import { db, type Tx } from "@/lib/db";
import { containsIgnoringCase } from "@/lib/db/text-filter";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { Conflict, NotFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";

export const USERS_PAGE_SIZE = 25;

/** A user as the administration center shows it. */
export interface TenantUserView {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: "active" | "disabled";
  activeKeys: number;
  createdAt: string;
}

export interface TenantUserPage {
  users: TenantUserView[];
  page: number;
  pageCount: number;
  total: number;
}

const userIdSchema = z
  .string({ error: "User ID is required." })
  .trim()
  .min(1, "User ID is required.")
  .max(64, "User not found.");

export const listUsersQuerySchema = z.object({
  search: searchTermSchema,
  page: z.coerce
    .number()
    .int("Page must be a whole number.")
    .min(1, "Page must be a whole number from 1.")
    .default(1),
});

export const userRolesSchema = z.object({
  developer: z.boolean({ error: "developer must be true or false." }),
  tenantAdmin: z.boolean({ error: "tenantAdmin must be true or false." }),
});

const LAST_ADMIN_MESSAGE =
  "A tenant needs at least one active tenant admin. Make another user a tenant admin first.";

/** The tenant's users by name, with roles, status and how many active keys each holds. */
export async function listTenantUsers(
  principal: Principal,
  query: unknown = {},
): Promise<TenantUserPage> {
  requireRole(principal, "TenantAdmin");
  const { search, page } = parseInput(listUsersQuerySchema, query ?? {});
  const where = {
    tenantId: principal.tenantId,
    ...(search
      ? {
          OR: [{ name: containsIgnoringCase(search) }, { email: containsIgnoringCase(search) }],
        }
      : {}),
  };
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
    }),
  ]);
  const counts = await db.apiKey.groupBy({
    by: ["ownerId"],
    where: {
      tenantId: principal.tenantId,
      ownerId: { in: users.map((user) => user.id) },
      ...statusWhere("active"),
    },
    _count: { _all: true },
  });
  const activeKeys = new Map(counts.map((row) => [row.ownerId, row._count._all]));
  return {
    users: users.map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      roles: rolesOf(user),
      status: user.disabledAt ? "disabled" : "active",
      activeKeys: activeKeys.get(user.id) ?? 0,
      createdAt: user.createdAt.toISOString(),
    })),
    page,
    pageCount: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)),
    total,
  };
}

/** The user within the caller's tenant, with the tenant locked so admin checks cannot interleave. */
async function lockedTenantUser(tx: Tx, principal: Principal, userId: string) {
  await lockRow(tx, "Tenant", principal.tenantId);
  const user = await tx.user.findFirst({ where: { id: userId, tenantId: principal.tenantId } });
  if (!user) throw new NotFound("User not found.");
  return user;
}

async function otherActiveAdmins(tx: Tx, tenantId: string, userId: string): Promise<number> {
  return tx.user.count({
    where: { tenantId, isTenantAdmin: true, disabledAt: null, id: { not: userId } },
  });
}

/** Grants or removes Developer and TenantAdmin; the tenant always keeps an active admin. */
export async function setUserRoles(
  principal: Principal,
  userId: unknown,
  roles: unknown,
): Promise<TenantUserView> {
  requireRole(principal, "TenantAdmin");
  const id = parseInput(userIdSchema, userId, "userId");
  const wanted = parseInput(userRolesSchema, roles);
  return withTransaction(async (tx) => {
    const user = await lockedTenantUser(tx, principal, id);
    const before = rolesOf(user);
    if (user.isTenantAdmin && !wanted.tenantAdmin) {
      if (user.id === principal.userId) {
        throw new Conflict(
          "You cannot remove your own TenantAdmin role. Ask another tenant admin to do it.",
        );
      }
      if (!user.disabledAt && (await otherActiveAdmins(tx, user.tenantId, user.id)) === 0) {
        throw new Conflict(LAST_ADMIN_MESSAGE);
      }
    }
    const updated =
      user.isTenantAdmin === wanted.tenantAdmin && user.isDeveloper === wanted.developer
        ? user
        : await tx.user.update({
            where: { id: user.id },
            data: { isTenantAdmin: wanted.tenantAdmin, isDeveloper: wanted.developer },
          });
    const after = rolesOf(updated);
    if (updated !== user) {
      await recordEvent(tx, principal, {
        eventType: "user.roles.updated",
        data: {
          userId: user.id,
          email: user.email,
          before: { roles: before },
          after: { roles: after },
        },
      });
    }
    return toView(updated, tx);
  });
}

/**
 * Disables a user (their sessions end for good and their keys stop at once) or enables them again:
 * an enabled user signs in afresh, since no ended session comes back.
 */
export async function setUserDisabled(
  principal: Principal,
  userId: unknown,
  disabled: unknown,
): Promise<TenantUserView> {
  requireRole(principal, "TenantAdmin");
  const id = parseInput(userIdSchema, userId, "userId");
  const disable = parseInput(z.boolean({ error: "disabled must be true or false." }), disabled);
  return withTransaction(async (tx) => {
    const user = await lockedTenantUser(tx, principal, id);
    if (disable === (user.disabledAt !== null)) return toView(user, tx);
    if (disable && user.id === principal.userId) {
      throw new Conflict("You cannot disable your own account. Ask another tenant admin to do it.");
    }
    if (
      disable &&
      user.isTenantAdmin &&
      (await otherActiveAdmins(tx, user.tenantId, user.id)) === 0
    ) {
      throw new Conflict(LAST_ADMIN_MESSAGE);
    }
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: disable ? new Date() : null },
    });
    if (disable) await endAllSessions(tx, user.id);
    await recordEvent(tx, principal, {
      eventType: disable ? "user.disabled" : "user.enabled",
      data: { userId: user.id, email: user.email },
    });
    return toView(updated, tx);
  });
}

/** Ends every session of a user of the tenant: they must sign in again; their keys go on. */
export async function endUserSessions(
  principal: Principal,
  userId: unknown,
): Promise<{ email: string; sessions: number }> {
  requireRole(principal, "TenantAdmin");
  const id = parseInput(userIdSchema, userId, "userId");
  return withTransaction(async (tx) => {
    const user = await lockedTenantUser(tx, principal, id);
    const sessions = await endAllSessions(tx, user.id);
    await recordEvent(tx, principal, {
      eventType: "user.sessions.ended",
      data: { userId: user.id, email: user.email, sessions },
    });
    return { email: user.email, sessions };
  });
}

async function toView(
  user: {
    id: string;
    tenantId: string;
    name: string;
    email: string;
    isTenantAdmin: boolean;
    isDeveloper: boolean;
    disabledAt: Date | null;
    createdAt: Date;
  },
  tx: Tx,
): Promise<TenantUserView> {
  const activeKeys = await tx.apiKey.count({
    where: { tenantId: user.tenantId, ownerId: user.id, ...statusWhere("active") },
  });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: rolesOf(user),
    status: user.disabledAt ? "disabled" : "active",
    activeKeys,
    createdAt: user.createdAt.toISOString(),
  };
}
