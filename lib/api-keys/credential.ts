import type { UserRow } from "@/lib/users/user-row";

/**
 * What the per-request key check needs, with the owner's whole row so that the request need not
 * read the user again.
 */
export interface KeyCredentialRow {
  id: string;
  tenantId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  apiKeysEnabled: boolean;
  owner: UserRow;
}
