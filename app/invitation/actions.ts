"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { clientAddress } from "@/lib/auth/client-address";
import { isDomainError } from "@/lib/errors";
import { acceptInvitation } from "@/lib/users/invitations";

export interface AcceptState {
  error?: string;
  field?: string;
}

/**
 * Joins the tenant: the invitation is spent and the password set, then the new user is signed in
 * and taken to their profile. The link is the only credential, so anyone may call this.
 */
export async function acceptInvitationAction(
  _state: AcceptState,
  form: FormData,
): Promise<AcceptState> {
  if (!(form instanceof FormData)) return { error: "Choose a password." };
  const password = form.get("password");
  if (password !== form.get("confirm")) {
    return { error: "The two passwords differ.", field: "confirm" };
  }
  const requestHeaders = await headers();
  let email: string;
  try {
    ({ email } = await acceptInvitation(form.get("token"), password, {
      ip: clientAddress(requestHeaders),
      userAgent: requestHeaders.get("user-agent"),
    }));
  } catch (error) {
    if (isDomainError(error)) return { error: error.message, field: error.field };
    throw error;
  }
  try {
    await signIn("credentials", { email, password, redirectTo: "/profile/api-keys" });
  } catch (error) {
    // signIn redirects by throwing; a refusal here (a throttle) leaves them to sign in by hand.
    if (error instanceof AuthError) {
      return { error: "You have joined. Sign in with your new password to go on." };
    }
    throw error;
  }
  return {};
}
