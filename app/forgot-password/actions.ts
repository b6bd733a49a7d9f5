"use server";

import { headers } from "next/headers";
import { clientAddress } from "@/lib/auth/client-address";
import { isDomainError } from "@/lib/errors";
import { mailConfigured } from "@/lib/mail";
import { RESET_MINUTES, requestPasswordReset } from "@/lib/users/passwords";
import type { PasswordFormState } from "@/components/account/password-form-state";

/**
 * "Forgot password": anyone may ask. The answer is the same whether or not the address has an
 * account; only a malformed address or the throttle is refused.
 */
export async function requestResetAction(
  _state: PasswordFormState,
  form: FormData,
): Promise<PasswordFormState> {
  if (!(form instanceof FormData)) return { error: "Enter your email address.", field: "email" };
  const requestHeaders = await headers();
  try {
    await requestPasswordReset({
      email: form.get("email"),
      address: clientAddress(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
    });
  } catch (error) {
    if (isDomainError(error)) return { error: error.message, field: error.field };
    throw error;
  }
  return {
    done: mailConfigured()
      ? `If an account uses that address, a reset link is on its way to it. The link works once, for ${RESET_MINUTES} minutes.`
      : "This Keyward sends no mail. Ask your tenant admin for a password reset link.",
  };
}
