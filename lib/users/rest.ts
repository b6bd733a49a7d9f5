import "server-only";
import { ROLES } from "@/lib/auth/principal";
import { Invalid } from "@/lib/errors";
import type { UserChanges } from "./admin";

/**
 * Qlik's role references (`[{"name": "Developer"}]` or `[{"id": "Developer"}]`) as Keyward's two
 * roles; an unknown role is invalid input at `field`.
 */
export function rolesFromReferences(
  value: unknown,
  field = "assignedRoles",
): { developer: boolean; tenantAdmin: boolean } {
  if (!Array.isArray(value)) {
    throw new Invalid(`${field} must be a list of roles such as [{"name": "Developer"}].`, field);
  }
  const names = value.map((reference: unknown) => {
    const { name, id } = (typeof reference === "object" && reference !== null ? reference : {}) as {
      name?: unknown;
      id?: unknown;
    };
    const role = ROLES.find((candidate) => candidate === (name ?? id));
    if (!role) {
      throw new Invalid(`${field} may hold only the roles ${ROLES.join(" and ")}.`, field);
    }
    return role;
  });
  return { developer: names.includes("Developer"), tenantAdmin: names.includes("TenantAdmin") };
}

/** A JSON Patch's replacements (`/name`, `/assignedRoles`, `/status`) as a user's changes. */
export function userChangesFromPatch(changes: Record<string, unknown>): UserChanges {
  const result: UserChanges = {};
  if ("name" in changes) result.name = changes.name;
  if ("assignedRoles" in changes) result.roles = rolesFromReferences(changes.assignedRoles);
  if ("status" in changes) {
    if (changes.status !== "active" && changes.status !== "disabled") {
      throw new Invalid('status can be set to "active" or "disabled".', "status");
    }
    result.disabled = changes.status === "disabled";
  }
  return result;
}
