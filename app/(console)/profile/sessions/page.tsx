import type { Metadata } from "next";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { SignOutEverywhere } from "@/components/sessions/sign-out-everywhere";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { listOwnSessions } from "@/lib/auth/sessions";
import { signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Sessions · Profile settings" };

export default async function ProfileSessionsPage() {
  const { principal } = await requirePageSession("/profile/sessions");
  const sessions = await listOwnSessions(principal);
  return (
    <>
      <PageHeader
        title="Sessions"
        description="Profile settings. Where you are signed in to the console. A session lasts eight hours unless you sign out; your API keys are not affected."
        actions={<SignOutEverywhere signOutEverywhere={signOutEverywhereAction} />}
      />
      <SessionsTable sessions={sessions} />
    </>
  );
}
