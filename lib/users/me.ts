import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { findUserById } from "@/lib/db/user-lookup";
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

export async function getCurrentUser(principal: Principal): Promise<CurrentUserDto> {
  const user = principal.user ?? (await findUserById(principal.userId));
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
