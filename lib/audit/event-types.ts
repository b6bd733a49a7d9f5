/** SPEC §6: every kind of event in the audit log. */
export const AUDIT_EVENT_TYPES = [
  "api-key.created",
  "api-key.updated",
  "api-key.deleted",
  "api-key.revoked",
  "api-key.regenerated",
  "api-key.leaked",
  "api-keys-config.updated",
  "tenant.sso.updated",
  "tenant.sso.removed",
  "user.invited",
  "user.created",
  "user.invitation.revoked",
  "user.updated",
  "user.deleted",
  "user.roles.updated",
  "user.disabled",
  "user.enabled",
  "user.sessions.ended",
  "user.password.changed",
  "user.password.reset-requested",
  "api-key.validation.failed",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
