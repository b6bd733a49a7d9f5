"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { requireActionPrincipal } from "@/lib/auth/session";
import { updateApiKeySettings } from "@/lib/tenants/settings";
import { removeSsoSettings, updateSsoSettings } from "@/lib/sso/settings";
import type { SsoFormValues } from "@/components/admin/sso-settings-form";

export interface SettingsInput {
  maxApiKeyExpiry: string;
  maxKeysPerUser: string;
  /** Empty is off. */
  revokeUnusedAfterDays?: string;
}

/** A number only when the field holds one; anything else reaches the schema as is and is refused. */
function wholeNumberOrRaw(raw: string): number | string | null {
  const trimmed = raw.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isNaN(value) ? trimmed : value;
}

/** `Save`: the limits. The switch saves itself (setApiKeysEnabled), so Save never undoes it. */
export async function saveApiKeySettings(input: SettingsInput): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    // A hand-made call may send anything in place of the form's values; the domain refuses it.
    const values: Partial<SettingsInput> = typeof input === "object" && input !== null ? input : {};
    await updateApiKeySettings(principal, principal.tenantId, {
      max_api_key_expiry: String(values.maxApiKeyExpiry ?? ""),
      max_keys_per_user: wholeNumberOrRaw(String(values.maxKeysPerUser ?? "")),
      revoke_unused_after_days: wholeNumberOrRaw(String(values.revokeUnusedAfterDays ?? "")),
    });
    revalidatePath("/admin/settings");
    return { ok: true, message: "Settings saved. They apply to keys generated from now on." };
  } catch (error) {
    return actionFailure(error);
  }
}

/** `Enable API keys` applies at once, as the switch shows it. */
export async function setApiKeysEnabled(enabled: boolean): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    await updateApiKeySettings(principal, principal.tenantId, {
      api_keys_enabled: enabled === true,
    });
    revalidatePath("/admin/settings");
    return {
      ok: true,
      message: enabled
        ? "API keys are on. Developers can generate keys now."
        : "API keys are off. Every key of the tenant is refused until you switch them on again.",
    };
  } catch (error) {
    return actionFailure(error);
  }
}

/** `Save single sign-on`: the identity provider, its domains and roles, and Require SSO. */
export async function saveSsoSettings(input: SsoFormValues): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    // A hand-made call may send anything in place of the form's values; the domain refuses it.
    await updateSsoSettings(principal, typeof input === "object" && input !== null ? input : {});
    revalidatePath("/admin/settings");
    return { ok: true, message: "Single sign-on saved." };
  } catch (error) {
    return actionFailure(error);
  }
}

/** `Disconnect`: everyone signs in with a password again. */
export async function disconnectSso(): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    await removeSsoSettings(principal);
    revalidatePath("/admin/settings");
    return { ok: true, message: "Single sign-on disconnected." };
  } catch (error) {
    return actionFailure(error);
  }
}
