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
import { Time } from "@/components/ui/time";
import { expiringKeyNotices, type ExpiringKeyNotice } from "@/lib/notices/console";
import {
  deleteAllKeysAction,
  deleteKeyAction,
  generateKeyAction,
  regenerateKeyAction,
  renameKeyAction,
} from "../actions";

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

/** The keys the owner was warned about that still work: regenerate them before they stop. */
function ExpiringKeys({ notices }: { notices: ExpiringKeyNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <Alert
      variant="warning"
      id="expiring-keys"
      title={`${notices.length} of your keys expire${notices.length === 1 ? "s" : ""} soon.`}
    >
      <ul className="mt-1 grid gap-0.5">
        {notices.map((notice) => (
          <li key={notice.keyId}>
            <Link href={`/profile/api-keys/${notice.keyId}`}>{notice.description}</Link> expires{" "}
            <Time iso={notice.expiresAt} />.
          </li>
        ))}
      </ul>
      Regenerate a key from its <span className="font-medium">More</span> menu to keep your programs
      running.
    </Alert>
  );
}

export default async function ProfileApiKeysPage() {
  const { principal } = await requirePageSession("/profile/api-keys");
  const [keys, quota, expiring] = await Promise.all([
    listOwnApiKeys(principal),
    getKeyQuota(principal),
    expiringKeyNotices(principal),
  ]);
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
              generate={generateKeyAction}
            />
          ) : null
        }
      />
      <div className="grid gap-4">
        <Restriction quota={quota} isAdmin={hasRole(principal, "TenantAdmin")} />
        <ExpiringKeys notices={expiring} />
        <ProfileKeysTable
          keys={keys}
          regenerate={regenerateKeyAction}
          rename={renameKeyAction}
          remove={deleteKeyAction}
          removeAll={deleteAllKeysAction}
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
