"use client";

import { Field, Input } from "@/components/ui/input";

/** A new password, typed twice, with the strength rule spelt out; `field` names a refused one. */
export function NewPasswordFields({
  label = "New password",
  confirmLabel = "Confirm new password",
  field,
  error,
}: {
  label?: string;
  confirmLabel?: string;
  field?: string;
  error?: string;
}) {
  return (
    <>
      <Field
        label={label}
        required
        description="At least 12 characters, and hard to guess: a few unrelated words work well."
        error={field === "password" ? error : undefined}
      >
        <Input name="password" type="password" autoComplete="new-password" />
      </Field>
      <Field label={confirmLabel} required error={field === "confirm" ? error : undefined}>
        <Input name="confirm" type="password" autoComplete="new-password" />
      </Field>
    </>
  );
}
