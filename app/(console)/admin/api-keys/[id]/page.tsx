import type { Metadata } from "next";
import Link from "next/link";
import { AdminKeyActions } from "@/components/api-keys/key-details-actions";
import { KeyDetails } from "@/components/api-keys/key-details";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { revokeSelectedKeys } from "../actions";
import {
  keyPageHref,
  keyPageState,
  loadKeyPage,
} from "@/app/(console)/profile/api-keys/[id]/load-key-page";

export const metadata: Metadata = { title: "API key · Administration" };

/** Any key of the tenant, for its admins; another tenant's key is not found. */
export default async function AdminApiKeyPage({
  params,
  searchParams,
}: PageProps<"/admin/api-keys/[id]">) {
  const { id } = await params;
  const path = `/admin/api-keys/${encodeURIComponent(id)}`;
  const { principal } = await requirePageSession(path, "TenantAdmin");
  const state = keyPageState(await searchParams);
  const { details, eventsPage } = await loadKeyPage(principal, id, "tenant", state);
  const { key } = details;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/api-keys" className="text-blue-800 underline underline-offset-2">
          ← All API keys
        </Link>
      </p>
      <PageHeader
        title={key.description}
        description={
          key.ownerId === principal.userId ? (
            <>
              Administration → API keys. This key is yours:{" "}
              <Link href={`/profile/api-keys/${key.id}`} className="text-blue-800 underline">
                rename or delete it in your profile
              </Link>
              .
            </>
          ) : (
            "Administration → API keys. A key of the tenant: its details, its use and its events."
          )
        }
        actions={
          key.status === "active" ? (
            <AdminKeyActions
              apiKey={{ id: key.id, description: key.description }}
              revoke={revokeSelectedKeys}
            />
          ) : null
        }
      />
      <KeyDetails
        details={details}
        period={state.period}
        periodHref={(period) => keyPageHref(path, { period, page: 1 })}
        keyHref={(other) => `/admin/api-keys/${other}`}
        eventsPage={eventsPage}
      />
    </>
  );
}
