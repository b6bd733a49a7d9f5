"use server";

import { AuthError } from "next-auth";
import { signIn, SsoRequired, TooManySignInAttempts } from "@/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { tooManyAttempts, WRONG_CREDENTIALS } from "./messages";
import { SSO_REQUIRED } from "./sso/messages";

export interface SignInState {
  error?: string;
  /** The email of a refused attempt, so that the form keeps it for the next one. */
  email?: string;
}

export async function signInAction(_state: SignInState, form: FormData): Promise<SignInState> {
  // A hand-made call may send anything in place of the form.
  if (!(form instanceof FormData)) return { error: "Enter your email and password." };
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: safeCallbackUrl(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    // signIn redirects by throwing; only authentication failures are answered here.
    const email = typeof form.get("email") === "string" ? String(form.get("email")) : undefined;
    if (error instanceof TooManySignInAttempts) {
      return { error: tooManyAttempts(error.minutes), email };
    }
    if (error instanceof SsoRequired) return { error: SSO_REQUIRED, email };
    if (error instanceof AuthError) return { error: WRONG_CREDENTIALS, email };
    throw error;
  }
}
