"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { requireActionPrincipal } from "@/lib/auth/session";
import { updateApiKeySettings } from "@/lib/tenants/settings";

export interface SettingsInput {
  apiKeysEnabled: boolean;
  maxApiKeyExpiry: string;
  maxKeysPerUser: string;
}

/** A number only when the field holds one; anything else reaches the schema as is and is refused. */
function wholeNumberOrRaw(raw: string): number | string | null {
  const trimmed = raw.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isNaN(value) ? trimmed : value;
}

export async function saveApiKeySettings(input: SettingsInput): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    // A hand-made call may send anything in place of the form's values; the domain refuses it.
    const values: Partial<SettingsInput> = typeof input === "object" && input !== null ? input : {};
    await updateApiKeySettings(principal, principal.tenantId, {
      api_keys_enabled: values.apiKeysEnabled === true,
      max_api_key_expiry: String(values.maxApiKeyExpiry ?? ""),
      max_keys_per_user: wholeNumberOrRaw(String(values.maxKeysPerUser ?? "")),
    });
    revalidatePath("/admin/settings");
    return { ok: true, message: "Settings saved. They apply to keys generated from now on." };
  } catch (error) {
    return actionFailure(error);
  }
}
