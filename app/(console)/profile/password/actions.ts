"use server";

import { requireActionPrincipal } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { changePassword } from "@/lib/users/passwords";
import type { PasswordFormState } from "@/components/account/password-form-state";

/** Changes the caller's password; their other browsers are signed out, this one stays. */
export async function changePasswordAction(
  _state: PasswordFormState,
  form: FormData,
): Promise<PasswordFormState> {
  if (!(form instanceof FormData)) return { error: "Enter your current and new password." };
  try {
    const principal = await requireActionPrincipal();
    const next = form.get("password");
    if (next !== form.get("confirm")) {
      return { error: "The two new passwords differ.", field: "confirm" };
    }
    const { sessionsEnded } = await changePassword(principal, {
      current: form.get("current"),
      next,
    });
    return {
      done:
        sessionsEnded === 0
          ? "Your password is changed."
          : `Your password is changed. ${sessionsEnded === 1 ? "1 other session was" : `${sessionsEnded} other sessions were`} signed out.`,
    };
  } catch (error) {
    if (isDomainError(error)) return { error: error.message, field: error.field };
    throw error;
  }
}
