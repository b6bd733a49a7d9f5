import type { Metadata } from "next";
import Link from "next/link";
import { describeInvitation } from "@/lib/users/invitations";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Join Keyward" };

export default async function InvitationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const invitation = await describeInvitation(token);
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-6 p-6">
      <div>
        <p className="text-lg font-bold tracking-tight text-blue-800">Keyward</p>
        <h1 className="mt-2 text-2xl font-semibold">
          {invitation ? `Join ${invitation.tenantName}` : "This invitation link no longer works"}
        </h1>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {invitation ? (
          <div className="grid gap-4">
            <p className="text-sm text-slate-700">
              You are invited as <strong>{invitation.email}</strong>. Choose a password to join.
            </p>
            <AcceptForm token={token} email={invitation.email} />
          </div>
        ) : (
          <p className="text-sm text-slate-700">
            It was used, replaced or withdrawn, or it expired. Ask your tenant admin for a new one,
            or{" "}
            <Link href="/login" className="text-blue-800 underline">
              sign in
            </Link>{" "}
            if you have joined already.
          </p>
        )}
      </div>
    </main>
  );
}
