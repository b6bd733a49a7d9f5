"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { NewPasswordFields } from "@/components/account/new-password-fields";
import { Button } from "@/components/ui/button";
import { acceptInvitationAction, type AcceptState } from "./actions";

/** Choose a password (twice) and join. */
export function AcceptForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(
    acceptInvitationAction,
    {},
  );
  return (
    <form action={action} noValidate className="grid gap-4">
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      {state.error && !["password", "confirm"].includes(state.field ?? "") ? (
        <Alert variant="error">{state.error}</Alert>
      ) : null}
      <NewPasswordFields
        label="Password"
        confirmLabel="Confirm password"
        field={state.field}
        error={state.error}
      />
      <Button type="submit" disabled={pending}>
        Join
      </Button>
    </form>
  );
}
