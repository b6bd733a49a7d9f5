import "server-only";
import { keptSecret } from "@/lib/kept-secret";

/**
 * AUTH_SECRET signs sessions. Without one, the embedded setup makes a random secret once and keeps
 * it beside the database, so a fresh clone works and sessions survive a restart. Several app
 * instances must share one AUTH_SECRET.
 */
export function authSecret(): string {
  return keptSecret("AUTH_SECRET", ".auth-secret");
}
