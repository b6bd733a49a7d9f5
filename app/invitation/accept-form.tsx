"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { acceptInvitationAction, type AcceptState } from "./actions";

/** Choose a password (twice) and join. */
export function AcceptForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(
    acceptInvitationAction,
    {},
  );
  const fieldError = (field: string) => (state.field === field ? state.error : undefined);
  return (
    <form action={action} noValidate className="grid gap-4">
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.error && !["password", "confirm"].includes(state.field ?? "") ? (
        <Alert variant="error">{state.error}</Alert>
      ) : null}
      <Field
        label="Password"
        required
        description="At least 12 characters, and hard to guess: a few unrelated words work well."
        error={fieldError("password")}
      >
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field label="Confirm password" required error={fieldError("confirm")}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
      <Button type="submit" disabled={pending}>
        Join
      </Button>
    </form>
  );
}
