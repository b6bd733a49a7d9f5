"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { signInAction, type SignInState } from "./actions";

export function LoginForm({
  callbackUrl,
  notice,
  error,
}: {
  callbackUrl: string;
  notice?: string;
  /** A refusal to show before any attempt on this page, as when Auth.js redirects here. */
  error?: string;
}) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error });
  return (
    <form action={action} className="flex flex-col gap-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {notice && !state.error ? (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {notice}
        </p>
      ) : null}
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Field label="Email">
        {/* React resets a form after its action: the email comes back as the new default. */}
        <Input
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          defaultValue={state.email}
        />
      </Field>
      <Field label="Password">
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" pending={pending}>
        Sign in
      </Button>
    </form>
  );
}
