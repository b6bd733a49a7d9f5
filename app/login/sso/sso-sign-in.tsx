"use client";

import { useActionState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { startSsoSignIn, type SsoSignInState } from "./actions";

/** The sign-in page's way to single sign-on: the email's domain picks the identity provider. */
export function SsoSignInForm({ callbackUrl, error }: { callbackUrl: string; error?: string }) {
  const [state, action, pending] = useActionState<SsoSignInState, FormData>(startSsoSignIn, {
    error,
  });
  return (
    <form action={action} className="flex flex-col gap-4">
      <h2 className="text-lg font-semibold">Sign in with SSO</h2>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Field
        label="Email"
        description="Your work email. Keyward sends you to your organization's identity provider."
      >
        <Input
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          defaultValue={state.email}
        />
      </Field>
      <Button type="submit" pending={pending}>
        Continue with SSO
      </Button>
    </form>
  );
}

/** The switch between the password form and the SSO form, below whichever is shown. */
export function SsoSwitch({ open, callbackUrl }: { open: boolean; callbackUrl: string }) {
  const query = new URLSearchParams({ callbackUrl });
  if (!open) query.set("sso", "start");
  return (
    <p className="text-center text-sm">
      <Link href={`/login?${query}`} className="font-medium text-blue-800 underline">
        {open ? "Sign in with a password" : "Sign in with SSO"}
      </Link>
    </p>
  );
}
