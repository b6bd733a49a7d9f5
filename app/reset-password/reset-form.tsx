"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { NewPasswordFields } from "@/components/account/new-password-fields";
import { Button } from "@/components/ui/button";
import type { PasswordFormState } from "@/components/account/password-form-state";
import { resetPasswordAction } from "./actions";

/** The new password, twice. */
export function ResetForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<PasswordFormState, FormData>(
    resetPasswordAction,
    {},
  );
  return (
    <form action={action} noValidate className="grid gap-4">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.error && !["password", "confirm"].includes(state.field ?? "") ? (
        <Alert variant="error">{state.error}</Alert>
      ) : null}
      <NewPasswordFields field={state.field} error={state.error} />
      <Button type="submit" pending={pending}>
        Set password
      </Button>
    </form>
  );
}
