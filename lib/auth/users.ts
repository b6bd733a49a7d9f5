import "server-only";
import { db } from "@/lib/db";
import type { UserRow } from "@/lib/users/user-row";
import { dummyPasswordHash, verifyPassword } from "./password";
import { rolesOf, type Role } from "./principal";

export interface SessionUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  roles: Role[];
  tenantName: string;
}

/**
 * The user behind an email and password, or null; disabled users cannot sign in, nor can invited
 * ones, who have no password until they accept (and take as long to refuse as anyone).
 */
export async function authenticateWithPassword(email: string, password: string) {
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.invitedAt || !user.passwordHash) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabledAt) return null;
  return user;
}

/** What a signed-in request knows of its user. */
export function sessionUserOf(user: UserRow): SessionUser {
  return {
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    name: user.name,
    roles: rolesOf(user),
    tenantName: user.tenantName,
  };
}
