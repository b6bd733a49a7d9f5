import type { Metadata } from "next";
import Link from "next/link";
import { RequestResetForm } from "./request-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-6 p-6">
      <div>
        <p className="text-lg font-bold tracking-tight text-blue-800">Keyward</p>
        <h1 className="mt-2 text-2xl font-semibold">Forgot password</h1>
        <p className="mt-2 text-sm text-slate-700">
          Enter the email address you sign in with, and we will mail you a link to choose a new
          password.
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <RequestResetForm />
      </div>
      <p className="text-sm">
        <Link href="/login" className="text-blue-800 underline">
          Back to sign in
        </Link>
      </p>
    </main>
  );
}
