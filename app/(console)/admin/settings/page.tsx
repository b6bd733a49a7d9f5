import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiKeySettingsForm } from "@/components/admin/settings-form";
import { SsoSettingsForm } from "@/components/admin/sso-settings-form";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/public-origin";
import { getSsoSettings, listBreakGlassCandidates, SSO_CALLBACK_PATH } from "@/lib/sso/settings";
import { countUsableApiKeys, getApiKeySettings } from "@/lib/tenants/settings";
import { disconnectSso, saveApiKeySettings, saveSsoSettings, setApiKeysEnabled } from "./actions";

export const metadata: Metadata = { title: "Settings · Administration" };

export default async function AdminSettingsPage() {
  const { principal } = await requirePageSession("/admin/settings", "TenantAdmin");
  const [settings, usableKeys, sso, breakGlassCandidates] = await Promise.all([
    getApiKeySettings(principal, principal.tenantId),
    countUsableApiKeys(principal, principal.tenantId),
    getSsoSettings(principal),
    listBreakGlassCandidates(principal),
  ]);
  const origin = publicOrigin(await headers()) ?? "";
  return (
    <>
      <PageHeader title="Settings" description="Administration → Settings → API keys" />
      <ApiKeySettingsForm
        initial={{
          apiKeysEnabled: settings.api_keys_enabled,
          maxApiKeyExpiry: settings.max_api_key_expiry,
          maxKeysPerUser: String(settings.max_keys_per_user),
          revokeUnusedAfterDays: settings.revoke_unused_after_days?.toString() ?? "",
        }}
        usableKeys={usableKeys}
        save={saveApiKeySettings}
        setEnabled={setApiKeysEnabled}
      />
      <div className="mt-6">
        <SsoSettingsForm
          initial={{
            connected: sso !== null,
            secretStored: sso?.secretStored ?? false,
            values: {
              issuer: sso?.issuer ?? "",
              clientId: sso?.clientId ?? "",
              domains: sso?.domains.join("\n") ?? "",
              groupsClaim: sso?.groupsClaim ?? "groups",
              developerGroups: sso?.developerGroups.join("\n") ?? "",
              adminGroups: sso?.adminGroups.join("\n") ?? "",
              required: sso?.required ?? false,
              breakGlassUserId: sso?.breakGlassUserId ?? "",
            },
          }}
          redirectUri={`${origin}${SSO_CALLBACK_PATH}`}
          breakGlassCandidates={breakGlassCandidates}
          save={saveSsoSettings}
          remove={disconnectSso}
        />
      </div>
    </>
  );
}
