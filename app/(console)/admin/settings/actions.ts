"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { updateApiKeySettings } from "@/lib/tenants/settings";
import { removeSsoSettings, updateSsoSettings } from "@/lib/sso/settings";
import type { SsoFormValues } from "@/components/admin/sso-settings-form";

const PAGE = ["/admin/settings"];

/** The form's fields as typed; the domain's schema decides what they may hold. */
const settingsInput = z.object({
  maxApiKeyExpiry: z.string({ error: "Maximum token expiration must be text." }),
  maxKeysPerUser: z.string({ error: "Maximum active API keys per user must be text." }),
  /** Empty is off. */
  revokeUnusedAfterDays: z
    .string({ error: "Revoke keys unused for must be text." })
    .optional()
    .default(""),
});

export type SettingsInput = z.input<typeof settingsInput>;

/** A number only when the field holds one; anything else reaches the schema as is and is refused. */
function wholeNumberOrRaw(raw: string): number | string | null {
  const trimmed = raw.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isNaN(value) ? trimmed : value;
}

/** `Save`: the limits. The switch saves itself (setApiKeysEnabled), so Save never undoes it. */
export const saveApiKeySettings = defineAction({
  args: z.tuple([settingsInput]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, values) => {
    await updateApiKeySettings(principal, principal.tenantId, {
      max_api_key_expiry: values.maxApiKeyExpiry,
      max_keys_per_user: wholeNumberOrRaw(values.maxKeysPerUser),
      revoke_unused_after_days: wholeNumberOrRaw(values.revokeUnusedAfterDays),
    });
    return null;
  },
  message: () => "Settings saved. They apply to keys generated from now on.",
});

/** `Enable API keys` applies at once, as the switch shows it. */
export const setApiKeysEnabled = defineAction({
  args: z.tuple([z.boolean({ error: "Enable API keys must be on or off." })]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, enabled) => {
    await updateApiKeySettings(principal, principal.tenantId, { api_keys_enabled: enabled });
    return { enabled };
  },
  message: ({ enabled }) =>
    enabled
      ? "API keys are on. Developers can generate keys now."
      : "API keys are off. Every key of the tenant is refused until you switch them on again.",
});

/** `Save single sign-on`: the identity provider, its domains and roles, and Require SSO. */
export const saveSsoSettings = defineAction({
  // The domain's schema decides what the form's values may hold.
  args: z.tuple([
    z.custom<SsoFormValues>(
      (value) => typeof value === "object" && value !== null && !Array.isArray(value),
      { error: "The form's values are missing." },
    ),
  ]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, values) => {
    await updateSsoSettings(principal, values);
    return null;
  },
  message: () => "Single sign-on saved.",
});

/** `Disconnect`: everyone signs in with a password again. */
export const disconnectSso = defineAction({
  args: z.tuple([]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal) => {
    await removeSsoSettings(principal);
    return null;
  },
  message: () => "Single sign-on disconnected.",
});
