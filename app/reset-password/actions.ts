"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/auth/client-address";
import { isDomainError } from "@/lib/errors";
import { resetPassword } from "@/lib/users/passwords";
import type { PasswordFormState } from "@/components/account/password-form-state";

/**
 * Sets a new password through a reset link, which is the only credential, so anyone may call
 * this. Every session of the user ends; they sign in again with the new password.
 */
export async function resetPasswordAction(
  _state: PasswordFormState,
  form: FormData,
): Promise<PasswordFormState> {
  if (!(form instanceof FormData)) return { error: "Choose a password." };
  const password = form.get("password");
  if (password !== form.get("confirm")) {
    return { error: "The two passwords differ.", field: "confirm" };
  }
  const requestHeaders = await headers();
  try {
    await resetPassword(form.get("token"), password, {
      ip: clientAddress(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
    });
  } catch (error) {
    if (isDomainError(error)) return { error: error.message, field: error.field };
    throw error;
  }
  redirect("/login?reason=password-reset");
}
