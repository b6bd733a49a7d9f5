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
import { displayText } from "@/lib/validation/text";
import { userStatus, type UserStatus } from "./status";

export const USERS_PAGE_SIZE = 25;

/** A user as the administration center shows it. */
export interface TenantUserView {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: UserStatus;
  activeKeys: number;
  createdAt: string;
}

export interface TenantUserPage {
  users: TenantUserView[];
  page: number;
  pageCount: number;
  total: number;
}

export const userIdSchema = z
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
      status: userStatus(user),
      activeKeys: activeKeys.get(user.id) ?? 0,
      createdAt: user.createdAt.toISOString(),
    })),
    page,
    pageCount: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)),
    total,
  };
}

/** The user within the caller's tenant, with the tenant locked so admin checks cannot interleave. */
export async function lockedTenantUser(tx: Tx, principal: Principal, userId: string) {
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

/** A user as it is stored, as far as the rules below need it. */
type StoredUser = NonNullable<Awaited<ReturnType<typeof lockedTenantUser>>>;

/** What an admin may change of a user of the tenant, all at once. */
export interface UserChanges {
  name?: unknown;
  roles?: unknown;
  disabled?: unknown;
}

const userNameSchema = displayText("name", { max: 256, required: true });

/** Grants or removes Developer and TenantAdmin; the tenant always keeps an active admin. */
async function applyRoles(
  tx: Tx,
  principal: Principal,
  user: StoredUser,
  wanted: z.output<typeof userRolesSchema>,
): Promise<StoredUser> {
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
  if (user.isTenantAdmin === wanted.tenantAdmin && user.isDeveloper === wanted.developer) {
    return user;
  }
  const updated = await tx.user.update({
    where: { id: user.id },
    data: { isTenantAdmin: wanted.tenantAdmin, isDeveloper: wanted.developer },
  });
  await recordEvent(tx, principal, {
    eventType: "user.roles.updated",
    data: {
      userId: user.id,
      email: user.email,
      before: { roles: before },
      after: { roles: rolesOf(updated) },
    },
  });
  return updated;
}

/**
 * Disables a user (their sessions end for good and their keys stop at once) or enables them again:
 * an enabled user signs in afresh, since no ended session comes back.
 */
async function applyDisabled(
  tx: Tx,
  principal: Principal,
  user: StoredUser,
  disable: boolean,
): Promise<StoredUser> {
  if (disable === (user.disabledAt !== null)) return user;
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
  return updated;
}

/**
 * Changes a user's name, roles and disabled state in one transaction (REST's JSON Patch), each
 * under the same rules as the console's controls: all of it applies, or none.
 */
export async function updateTenantUser(
  principal: Principal,
  userId: unknown,
  changes: UserChanges,
): Promise<StoredUser> {
  requireRole(principal, "TenantAdmin");
  const id = parseInput(userIdSchema, userId, "userId");
  const name =
    changes.name === undefined ? undefined : parseInput(userNameSchema, changes.name, "name");
  const roles =
    changes.roles === undefined ? undefined : parseInput(userRolesSchema, changes.roles, "roles");
  const disable =
    changes.disabled === undefined
      ? undefined
      : parseInput(
          z.boolean({ error: "disabled must be true or false." }),
          changes.disabled,
          "disabled",
        );
  return withTransaction(async (tx) => {
    let user = await lockedTenantUser(tx, principal, id);
    if (name !== undefined && name !== user.name) {
      const before = user.name;
      user = await tx.user.update({ where: { id: user.id }, data: { name } });
      await recordEvent(tx, principal, {
        eventType: "user.updated",
        data: { userId: user.id, email: user.email, before: { name: before }, after: { name } },
      });
    }
    if (roles !== undefined) user = await applyRoles(tx, principal, user, roles);
    if (disable !== undefined) user = await applyDisabled(tx, principal, user, disable);
    return user;
  });
}

/** Grants or removes Developer and TenantAdmin; the tenant always keeps an active admin. */
export async function setUserRoles(
  principal: Principal,
  userId: unknown,
  roles: unknown,
): Promise<TenantUserView> {
  const user = await updateTenantUser(principal, userId, { roles: roles ?? null });
  return toView(user, db);
}

/** Disables or enables a user of the tenant (see applyDisabled). */
export async function setUserDisabled(
  principal: Principal,
  userId: unknown,
  disabled: unknown,
): Promise<TenantUserView> {
  const user = await updateTenantUser(principal, userId, { disabled: disabled ?? null });
  return toView(user, db);
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
    invitedAt: Date | null;
    createdAt: Date;
  },
  tx: Tx | typeof db,
): Promise<TenantUserView> {
  const activeKeys = await tx.apiKey.count({
    where: { tenantId: user.tenantId, ownerId: user.id, ...statusWhere("active") },
  });
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: rolesOf(user),
    status: userStatus(user),
    activeKeys,
    createdAt: user.createdAt.toISOString(),
  };
}

/**
 * Deletes a user of the tenant for good, with their keys and sessions; their events remain. Not
 * yourself, not the last active admin, and not someone who still owns spaces.
 */
export async function deleteUser(principal: Principal, userId: unknown): Promise<void> {
  requireRole(principal, "TenantAdmin");
  const id = parseInput(userIdSchema, userId, "userId");
  await withTransaction(async (tx) => {
    const user = await lockedTenantUser(tx, principal, id);
    if (user.id === principal.userId) {
      throw new Conflict("You cannot delete your own account. Ask another tenant admin to do it.");
    }
    if (
      user.isTenantAdmin &&
      !user.disabledAt &&
      (await otherActiveAdmins(tx, user.tenantId, user.id)) === 0
    ) {
      throw new Conflict(LAST_ADMIN_MESSAGE);
    }
    const spaces = await tx.space.count({ where: { ownerId: user.id } });
    if (spaces > 0) {
      throw new Conflict(
        `${user.email} owns ${spaces === 1 ? "a space" : `${spaces} spaces`}. Give them to someone else first.`,
      );
    }
    await tx.user.delete({ where: { id: user.id } });
    await recordEvent(tx, principal, {
      eventType: "user.deleted",
      data: { userId: user.id, email: user.email, roles: rolesOf(user) },
    });
  });
}
