"use server";

import { signOut } from "@/auth";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { requireActionPrincipal } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/auth/sessions";

/** Ends every session of the caller, then clears this browser's cookie and goes to sign-in. */
export async function signOutEverywhereAction(): Promise<ActionResult> {
  try {
    await signOutEverywhere(await requireActionPrincipal());
  } catch (error) {
    return actionFailure(error);
  }
  await signOut({ redirectTo: "/login?reason=signed-out" });
  return { ok: true };
}
