"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import type { PasswordFormState } from "@/components/account/password-form-state";
import { requestResetAction } from "./actions";

export function RequestResetForm() {
  const [state, action, pending] = useActionState<PasswordFormState, FormData>(
    requestResetAction,
    {},
  );
  if (state.done) return <Alert variant="info">{state.done}</Alert>;
  return (
    <form action={action} noValidate className="grid gap-4">
      {state.error && state.field !== "email" ? <Alert variant="error">{state.error}</Alert> : null}
      <Field label="Email" required error={state.field === "email" ? state.error : undefined}>
        <Input name="email" type="email" autoComplete="username" autoFocus />
      </Field>
      <Button type="submit" pending={pending}>
        Send reset link
      </Button>
    </form>
  );
}
