"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import type { PasswordFormState } from "@/components/account/password-form-state";
import { resetPasswordAction } from "./actions";

/** The new password, twice. */
export function ResetForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<PasswordFormState, FormData>(
    resetPasswordAction,
    {},
  );
  const fieldError = (field: string) => (state.field === field ? state.error : undefined);
  return (
    <form action={action} noValidate className="grid gap-4">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.error && !["password", "confirm"].includes(state.field ?? "") ? (
        <Alert variant="error">{state.error}</Alert>
      ) : null}
      <Field
        label="New password"
        required
        description="At least 12 characters, and hard to guess: a few unrelated words work well."
        error={fieldError("password")}
      >
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field label="Confirm new password" required error={fieldError("confirm")}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" pending={pending}>
        Set password
      </Button>
    </form>
  );
}
