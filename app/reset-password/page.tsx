import type { Metadata } from "next";
import Link from "next/link";
import { describePasswordReset } from "@/lib/users/passwords";
import { ResetForm } from "./reset-form";

export const metadata: Metadata = { title: "Reset password" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const reset = await describePasswordReset(token);
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-6 p-6">
      <div>
        <p className="text-lg font-bold tracking-tight text-blue-800">Keyward</p>
        <h1 className="mt-2 text-2xl font-semibold">
          {reset ? "Choose a new password" : "This reset link no longer works"}
        </h1>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {reset ? (
          <div className="grid gap-4">
            <p className="text-sm text-slate-700">
              For <strong>{reset.email}</strong>. Every browser signed in to this account will be
              signed out.
            </p>
            <ResetForm token={token} email={reset.email} />
          </div>
        ) : (
          <p className="text-sm text-slate-700">
            It was used or replaced, or it expired.{" "}
            <Link href="/forgot-password" className="text-blue-800 underline">
              Ask for a new link
            </Link>
            .
          </p>
        )}
      </div>
    </main>
  );
}
