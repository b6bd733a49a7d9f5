"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/auth";

export interface SignInState {
  error?: string;
}

function safeCallback(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "";
  return path.startsWith("/") && !path.startsWith("//") ? path : "/profile/api-keys";
}

export async function signInAction(_state: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirectTo: safeCallback(form.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    // signIn redirects by throwing; only authentication failures are answered here.
    if (error instanceof AuthError) return { error: "Incorrect email or password." };
    throw error;
  }
}
