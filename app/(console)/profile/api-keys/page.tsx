import type { Metadata } from "next";
import Link from "next/link";
import { GenerateKeyDialog } from "@/components/api-keys/generate-key-dialog";
import { ProfileKeysTable } from "@/components/api-keys/profile-keys-table";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { expiryChoices, getKeyQuota, type KeyQuota } from "@/lib/api-keys/quota";
import { listOwnApiKeys } from "@/lib/api-keys/service";
import { hasRole } from "@/lib/auth/principal";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys · Profile settings" };

const QUOTA_ID = "api-key-quota";

function usage(quota: KeyQuota): string {
  return `${quota.activeCount} of ${quota.maxKeysPerUser} active keys used`;
}

/** Why the caller cannot generate a key, said plainly; null when they can. */
function Restriction({ quota, isAdmin }: { quota: KeyQuota; isAdmin: boolean }) {
  if (!quota.enabled) {
    return (
      <Alert variant="warning" title="API keys are disabled for your tenant.">
        No one in your tenant can generate keys, and existing keys are refused until a tenant admin
        enables API keys
        {isAdmin ? (
          <>
            {" "}
            in <Link href="/admin/settings">Administration → Settings</Link>
          </>
        ) : (
          " in Administration → Settings"
        )}
        . You can still rename and delete the keys listed here.
      </Alert>
    );
  }
  if (!quota.isDeveloper) {
    return (
      <Alert variant="info" title="You need the Developer role to generate API keys.">
        {isAdmin ? (
          <>
            As a tenant admin you can assign it to yourself in{" "}
            <Link href="/admin/users">Administration → Users</Link>.
          </>
        ) : (
          "Ask a tenant admin to assign it to you."
        )}{" "}
        You can still rename and delete the keys listed here; keys of a user without the Developer
        role are refused by the API.
      </Alert>
    );
  }
  if (quota.activeCount >= quota.maxKeysPerUser) {
    return (
      <Alert variant="warning" title={`${usage(quota)}.`} id={QUOTA_ID}>
        You have reached your tenant&apos;s limit of active keys. Delete a key, or wait for one to
        expire, before generating another.
      </Alert>
    );
  }
  return null;
}

export default async function ProfileApiKeysPage() {
  const { principal } = await requirePageSession("/profile/api-keys");
  const [keys, quota] = await Promise.all([listOwnApiKeys(principal), getKeyQuota(principal)]);
  const { choices, maxLabel } = expiryChoices(quota.maxExpiry);
  const canGenerate = quota.enabled && quota.isDeveloper;
  const limitReached = quota.activeCount >= quota.maxKeysPerUser;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Profile settings. An API key acts as you in Keyward's REST API, with the roles you hold at the time of each call."
        actions={
          canGenerate ? (
            <GenerateKeyDialog
              choices={choices}
              maxLabel={maxLabel}
              maxExpiry={quota.maxExpiry}
              disabledReasonId={limitReached ? QUOTA_ID : undefined}
            />
          ) : null
        }
      />
      <div className="grid gap-4">
        <Restriction quota={quota} isAdmin={hasRole(principal, "TenantAdmin")} />
        <ProfileKeysTable
          keys={keys}
          now={new Date().toISOString()}
          summary={
            canGenerate && !limitReached ? (
              <p className="text-sm text-slate-600">{usage(quota)}</p>
            ) : null
          }
        />
      </div>
    </>
  );
}
