import "server-only";
import { Forbidden } from "@/lib/errors";
import { hasRole, type Principal, type Role } from "./principal";

const ROLE_MESSAGES: Record<Role, string> = {
  TenantAdmin: "Only a tenant admin can do this.",
  Developer: "You need the Developer role to generate API keys. Ask a tenant admin to assign it.",
};

/** Throws Forbidden unless the caller holds `role`; every domain function checks for itself. */
export function requireRole(principal: Principal, role: Role, message = ROLE_MESSAGES[role]): void {
  if (!hasRole(principal, role)) throw new Forbidden(message);
}
