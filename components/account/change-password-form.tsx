"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { NewPasswordFields } from "@/components/account/new-password-fields";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import type { PasswordFormState } from "./password-form-state";

/** Current password, then the new one twice. */
export function ChangePasswordForm({
  email,
  changePassword,
}: {
  email: string;
  changePassword: (state: PasswordFormState, form: FormData) => Promise<PasswordFormState>;
}) {
  const [state, action, pending] = useActionState(changePassword, {});
  const fieldError = (field: string) => (state.field === field ? state.error : undefined);
  return (
    <form action={action} noValidate className="grid max-w-md gap-4">
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.done ? <Alert variant="info">{state.done}</Alert> : null}
      {state.error && !["current", "password", "confirm"].includes(state.field ?? "") ? (
        <Alert variant="error">{state.error}</Alert>
      ) : null}
      <Field label="Current password" required error={fieldError("current")}>
        <Input name="current" type="password" autoComplete="current-password" />
      </Field>
      <NewPasswordFields field={state.field} error={state.error} />
      <div>
        <Button type="submit" pending={pending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
