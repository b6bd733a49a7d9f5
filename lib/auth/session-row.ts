import type { UserRow } from "@/lib/users/user-row";

/** A session as every request checks it, with its user, read without an ORM round trip. */
export interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  endedAt: Date | null;
  user: UserRow;
}
