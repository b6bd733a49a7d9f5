"use server";

import { AuthError } from "next-auth";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { signIn } from "@/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { servedOverHttps } from "@/lib/http/security-headers";
import { SSO_TENANT_COOKIE, SSO_TENANT_COOKIE_PATH } from "@/lib/sso/cookie";
import { emailDomain } from "@/lib/sso/rules";
import {
  SSO_TENANT_COOKIE_SECONDS,
  ssoClientOf,
  ssoTenantCookieValue,
  ssoTenantForEmail,
} from "@/lib/sso/sign-in";
import { SSO_NOT_SET_UP, SSO_UNREACHABLE } from "./messages";

export interface SsoSignInState {
  error?: string;
  email?: string;
}

const emailSchema = z.string().trim().toLowerCase().email().max(320);

/**
 * `Continue with SSO`: the email's domain finds the tenant, a signed cookie carries it to the
 * callback, and Auth.js sends the browser to the tenant's identity provider.
 */
export async function startSsoSignIn(
  _state: SsoSignInState,
  form: FormData,
): Promise<SsoSignInState> {
  // A hand-made call may send anything in place of the form.
  if (!(form instanceof FormData)) return { error: "Enter your work email address." };
  const parsed = emailSchema.safeParse(form.get("email"));
  if (!parsed.success) return { error: "Enter your work email address." };
  const email = parsed.data;
  const tenantId = await ssoTenantForEmail(email);
  if (!tenantId || !(await ssoClientOf(tenantId))) {
    return { error: SSO_NOT_SET_UP(emailDomain(email) ?? email), email };
  }
  (await cookies()).set(SSO_TENANT_COOKIE, ssoTenantCookieValue(tenantId), {
    httpOnly: true,
    sameSite: "lax",
    path: SSO_TENANT_COOKIE_PATH,
    maxAge: SSO_TENANT_COOKIE_SECONDS,
    secure: servedOverHttps(await headers()),
  });
  try {
    await signIn(
      "sso",
      { redirectTo: safeCallbackUrl(form.get("callbackUrl")) },
      { login_hint: email },
    );
    return {};
  } catch (error) {
    // signIn redirects by throwing; an identity provider that cannot be reached is answered here.
    if (error instanceof AuthError) {
      console.error(error);
      return { error: SSO_UNREACHABLE, email };
    }
    throw error;
  }
}
