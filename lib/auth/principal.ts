import type { UserRow } from "@/lib/users/user-row";

export const ROLES = ["TenantAdmin", "Developer"] as const;
export type Role = (typeof ROLES)[number];

/** Whoever is calling, however they proved it: every domain function takes one. */
export interface Principal {
  userId: string;
  tenantId: string;
  roles: Role[];
  via: "session" | "apiKey";
  /** Set when the caller authenticated with an API key. */
  apiKeyId?: string;
  /** Set when the caller signed in to the console: the server-side session of the cookie. */
  sessionId?: string;
  /** Where the request came from, for audit events. */
  ip?: string | null;
  userAgent?: string | null;
  /** The caller's user as read while the credentials were checked, so the request need not read it again. */
  user?: UserRow;
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}

export function rolesOf(user: { isTenantAdmin: boolean; isDeveloper: boolean }): Role[] {
  const roles: Role[] = [];
  if (user.isTenantAdmin) roles.push("TenantAdmin");
  if (user.isDeveloper) roles.push("Developer");
  return roles;
}
