import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signOutAction } from "@/app/(console)/actions";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { getSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign out" };

/** Asking for /logout signs no one out (any page could link to it): it asks first, with a POST. */
export default async function LogoutPage() {
  const session = await getSession();
  if (!session) redirect("/logout/ended");
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-6 p-6">
      <div>
        <p className="text-lg font-bold tracking-tight text-blue-800">Keyward</p>
        <h1 className="mt-2 text-2xl font-semibold">Sign out of Keyward?</h1>
      </div>
      <div className="grid gap-4 rounded-lg border border-slate-200 bg-white p-6 text-sm shadow-sm">
        <p>
          You are signed in as <strong>{session.user.email}</strong>. Signing out ends this session;
          your other sessions go on.
        </p>
        <div className="flex items-center gap-4">
          <SignOutButton signOut={signOutAction} />
          <Link href="/profile/api-keys" className="font-medium text-blue-800 underline">
            Stay signed in
          </Link>
        </div>
      </div>
    </main>
  );
}
