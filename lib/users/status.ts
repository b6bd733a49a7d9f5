/** A user's state, as the console and Qlik's users API name it. */
export type UserStatus = "active" | "invited" | "disabled";

/** Disabled wins over invited: an admin may disable someone who has not joined yet. */
export function userStatus(user: { disabledAt: Date | null; invitedAt?: Date | null }): UserStatus {
  if (user.disabledAt) return "disabled";
  return user.invitedAt ? "invited" : "active";
}
