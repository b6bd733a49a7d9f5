import type { Metadata } from "next";
import { ApiKeySettingsForm } from "@/components/admin/settings-form";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { countUsableApiKeys, getApiKeySettings } from "@/lib/tenants/settings";
import { saveApiKeySettings, setApiKeysEnabled } from "./actions";

export const metadata: Metadata = { title: "Settings · Administration" };

export default async function AdminSettingsPage() {
  const { principal } = await requirePageSession("/admin/settings", "TenantAdmin");
  const [settings, usableKeys] = await Promise.all([
    getApiKeySettings(principal, principal.tenantId),
    countUsableApiKeys(principal, principal.tenantId),
  ]);
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
    </>
  );
}
