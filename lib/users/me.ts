import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { findUserById, type UserRow } from "@/lib/db/user-lookup";
import { andThen, type MaybePromise } from "@/lib/maybe-promise";
import { NotFound } from "@/lib/errors";

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

function currentUserDto(user: UserRow | null, principal: Principal): CurrentUserDto {
  if (!user || user.tenantId !== principal.tenantId) throw new NotFound("User not found.");
  return {
    id: user.id,
    tenantId: user.tenantId,
    name: user.name,
    email: user.email,
    status: user.disabledAt ? "disabled" : "active",
    assignedRoles: principal.roles.map((name) => ({ name })),
    createdAt: user.createdAt.toISOString(),
    lastUpdatedAt: user.updatedAt.toISOString(),
  };
}

/** The caller's user: as read while a key was checked, else read by ID. */
export function getCurrentUser(principal: Principal): MaybePromise<CurrentUserDto> {
  return andThen(principal.user ?? findUserById(principal.userId), (user) =>
    currentUserDto(user, principal),
  );
}
