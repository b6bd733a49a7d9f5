import "server-only";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import { findUserById } from "@/lib/db";
import { NotFound } from "@/lib/errors";
import type { UserRow } from "./user-row";

/** `GET /users/me` in Qlik Cloud's shape. */
export interface CurrentUserDto {
  id: string;
  tenantId: string;
  name: string;
  email: string;
  status: "active" | "disabled";
  assignedRoles: { name: string }[];
  createdAt: string;
  lastUpdatedAt: string;
}

function currentUserDto(user: UserRow): CurrentUserDto {
  return {
    id: user.id,
    tenantId: user.tenantId,
    name: user.name,
    email: user.email,
    status: user.disabledAt ? "disabled" : "active",
    assignedRoles: rolesOf(user).map((name) => ({ name })),
    createdAt: user.createdAt.toISOString(),
    lastUpdatedAt: user.updatedAt.toISOString(),
  };
}

/** The caller's user: as read while a key was checked, else read by ID. */
export async function getCurrentUser(principal: Principal): Promise<CurrentUserDto> {
  const user = principal.user ?? (await findUserById(principal.userId));
  if (!user || user.tenantId !== principal.tenantId) throw new NotFound("User not found.");
  return currentUserDto(user);
}
