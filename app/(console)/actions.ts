"use server";

import { signOut } from "@/auth";
import { endCurrentSession } from "@/lib/auth/session";

/** Ends this browser's session on the server, so that a copy of its cookie is refused, then clears it. */
export async function signOutAction(): Promise<void> {
  await endCurrentSession();
  await signOut({ redirectTo: "/login?reason=sign-out" });
}
