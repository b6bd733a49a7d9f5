import "server-only";
import { keptSecret } from "@/lib/kept-secret";

/**
 * The key of the audit chain and its signed heads, held outside the database: KEYWARD_AUDIT_SECRET,
 * or a secret kept in data/.audit-secret. Every instance writing to one database must share it.
 */
export function auditKey(): string {
  return keptSecret("KEYWARD_AUDIT_SECRET", ".audit-secret");
}
