"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { reportLeakedTokensAsAdmin, type LeakedKey } from "@/lib/api-keys/leaks";
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

export type LeakReportResult =
  { ok: true; found: number; keys: LeakedKey[] } | { ok: false; message: string };

/** `Report leaked keys`: the tokens in pasted text are reported; the outcome shown is the tenant's only. */
export async function reportLeakedKeys(text: string): Promise<LeakReportResult> {
  try {
    const principal = await requireActionPrincipal();
    const { found, keys } = await reportLeakedTokensAsAdmin(principal, text);
    revalidatePath("/admin/api-keys");
    return { ok: true, found, keys };
  } catch (error) {
    const failure = actionFailure(error);
    return { ok: false, message: failure.ok ? "" : failure.message };
  }
}
