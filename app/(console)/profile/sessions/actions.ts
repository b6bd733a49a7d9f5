"use server";

import { z } from "zod";
import { signOut } from "@/auth";
import { defineAction } from "@/lib/actions/define-action";
import { signOutEverywhere } from "@/lib/auth/sessions";

/** Ends every session of the caller, then clears this browser's cookie and goes to sign-in. */
export const signOutEverywhereAction = defineAction({
  args: z.tuple([]),
  run: async (principal) => {
    await signOutEverywhere(principal);
    // Throws Next.js's redirect, which the helper passes on.
    await signOut({ redirectTo: "/login?reason=signed-out" });
    return null;
  },
});
