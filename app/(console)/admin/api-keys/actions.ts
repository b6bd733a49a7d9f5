"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { revokeApiKeys } from "@/lib/api-keys/service";
import { requireActionPrincipal } from "@/lib/auth/session";

/** Revokes the selected keys, all or none; the page then shows them as revoked. */
export async function revokeSelectedKeys(ids: string[]): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const count = await revokeApiKeys(principal, ids);
    revalidatePath("/admin/api-keys");
    return { ok: true, message: `Revoked ${count} API key${count === 1 ? "" : "s"}.` };
  } catch (error) {
    return actionFailure(error);
  }
}
