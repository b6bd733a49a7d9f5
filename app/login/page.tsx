import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getSession } from "@/lib/auth/session";
import { listDemoAccounts } from "@/lib/tenants/demo";
import { LoginForm } from "./login-form";
import { tooManyAttempts, WRONG_CREDENTIALS } from "./messages";
import { SsoSignInForm, SsoSwitch } from "./sso/sso-sign-in";
import { SSO_REQUIRED, ssoStateOf } from "./sso/messages";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const signedOut = ["sign-out", "signed-out", "password-reset"].includes(String(params.reason));
  if (!signedOut && (await getSession())) redirect(callbackUrl);
  const demoAccounts = await listDemoAccounts();
  const notice =
    params.reason === "sign-out"
      ? "You are signed out."
      : params.reason === "signed-out"
        ? "You have been signed out. Sign in again to go on."
        : params.reason === "password-reset"
          ? "Your password is changed, and every browser was signed out. Sign in with the new one."
          : undefined;
  // Where Auth.js's own sign-in endpoint sends a refused attempt back.
  const error =
    params.error === "CredentialsSignin"
      ? params.code === "too-many-attempts"
        ? tooManyAttempts()
        : params.code === "sso-required"
          ? SSO_REQUIRED
          : WRONG_CREDENTIALS
      : undefined;
  const sso = ssoStateOf(params);

  return (
    <main className="mx-auto flex w-full max-w-md flex-1 flex-col justify-center gap-6 p-6">
      <div>
        <p className="text-lg font-bold tracking-tight text-blue-800">Keyward</p>
        <h1 className="mt-2 text-2xl font-semibold">Sign in</h1>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {sso.open ? (
          <SsoSignInForm callbackUrl={callbackUrl} error={sso.error} />
        ) : (
          <>
            <LoginForm callbackUrl={callbackUrl} notice={notice} error={error} />
            <p className="mt-4 text-sm">
              <Link href="/forgot-password" className="text-blue-800 underline">
                Forgot password?
              </Link>
            </p>
          </>
        )}
      </div>
      <SsoSwitch open={sso.open} callbackUrl={callbackUrl} />
      {demoAccounts.length > 0 ? (
        <section aria-labelledby="demo-accounts" className="text-sm text-slate-700">
          <h2 id="demo-accounts" className="font-semibold">
            Demo accounts
          </h2>
          <p className="mt-1">
            Password for all: <code className="font-mono">{demoAccounts[0].passwordHint}</code>
          </p>
          <ul className="mt-2 space-y-1">
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <code className="font-mono">{account.email}</code> — {account.description}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
