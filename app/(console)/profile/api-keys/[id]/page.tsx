import type { Metadata } from "next";
import Link from "next/link";
import { OwnerKeyActions } from "@/components/api-keys/key-details-actions";
import { KeyDetails } from "@/components/api-keys/key-details";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { deleteKeyAction, regenerateKeyAction, renameKeyAction } from "../actions";
import { keyPageHref, keyPageState, loadKeyPage } from "./load-key-page";

export const metadata: Metadata = { title: "API key · Profile settings" };

/** One of the caller's own keys; anyone else's is not found. */
export default async function ProfileApiKeyPage({
  params,
  searchParams,
}: PageProps<"/profile/api-keys/[id]">) {
  const { id } = await params;
  const path = `/profile/api-keys/${encodeURIComponent(id)}`;
  const { principal } = await requirePageSession(path);
  const state = keyPageState(await searchParams);
  const { details, eventsPage } = await loadKeyPage(principal, id, "own", state);
  const { key } = details;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/profile/api-keys" className="text-blue-800 underline underline-offset-2">
          ← Your API keys
        </Link>
      </p>
      <PageHeader
        title={key.description}
        description="Profile settings → API keys. One of your keys: its details, its use and its events."
        actions={
          <OwnerKeyActions
            apiKey={{ id: key.id, description: key.description }}
            active={key.status === "active"}
            remove={deleteKeyAction}
            regenerate={regenerateKeyAction}
            rename={renameKeyAction}
          />
        }
      />
      <KeyDetails
        details={details}
        period={state.period}
        periodHref={(period) => keyPageHref(path, { period, page: 1 })}
        keyHref={(other) => `/profile/api-keys/${other}`}
        eventsPage={eventsPage}
      />
    </>
  );
}
