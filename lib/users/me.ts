import "server-only";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import { findUserById, type UserRow } from "@/lib/db/user-lookup";
import { andThen, type MaybePromise } from "@/lib/maybe-promise";
import { NotFound } from "@/lib/errors";
import { freezeDeep } from "@/lib/freeze";

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

/**
 * Rows read for a request are frozen and kept while the database is unchanged; so is the answer
 * made from each, frozen all the way down, so that its JSON is written once too.
 */
const answers = new WeakMap<UserRow, CurrentUserDto>();

function currentUserDto(user: UserRow): CurrentUserDto {
  let dto = answers.get(user);
  if (dto === undefined) {
    dto = freezeDeep({
      id: user.id,
      tenantId: user.tenantId,
      name: user.name,
      email: user.email,
      status: user.disabledAt ? "disabled" : "active",
      assignedRoles: rolesOf(user).map((name) => ({ name })),
      createdAt: user.createdAt.toISOString(),
      lastUpdatedAt: user.updatedAt.toISOString(),
    });
    answers.set(user, dto);
  }
  return dto;
}

/** The caller's user: as read while a key was checked, else read by ID. */
export function getCurrentUser(principal: Principal): MaybePromise<CurrentUserDto> {
  return andThen(principal.user ?? findUserById(principal.userId), (user) => {
    if (!user || user.tenantId !== principal.tenantId) throw new NotFound("User not found.");
    return currentUserDto(user);
  });
}
