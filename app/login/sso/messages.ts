/** What the sign-in page says about single sign-on, whichever way the answer came. */
export const SSO_REQUIRED =
  "Your organization requires single sign-on. Use “Sign in with SSO” below instead of a password.";

export const SSO_NOT_SET_UP = (domain: string) =>
  `Single sign-on is not set up for ${domain}. Sign in with your email and password, or ask your tenant admin.`;

export const SSO_UNREACHABLE =
  "Keyward could not reach your identity provider. Try again later, or ask your tenant admin.";

/** Why the identity provider's answer did not let the person in (lib/sso/sign-in.ts's refusals). */
const REFUSALS: Record<string, string> = {
  domain:
    "Your identity provider signed you in with an email address outside this organization's domains, so Keyward did not let you in. Ask your tenant admin.",
  disabled: "Your account is disabled. Ask a tenant admin to enable it.",
  "no-email":
    "Your identity provider did not share your email address, so Keyward cannot tell who you are.",
  unverified: "Your identity provider says your email address is not verified.",
  "not-configured":
    "Single sign-on is no longer set up for your organization. Sign in with your password, or ask your tenant admin.",
};

const DID_NOT_COMPLETE =
  "Single sign-on did not complete. Try again; if it keeps failing, ask your tenant admin.";

/** What Auth.js calls a failed callback from an identity provider (its `?error=`). */
const SSO_ERRORS = new Set([
  "Configuration",
  "AccessDenied",
  "OAuthCallbackError",
  "OAuthSignInError",
  "OAuthAccountNotLinked",
  "OAuthProfileParseError",
  "InvalidCheck",
  "CallbackRouteError",
]);

/**
 * The sign-in page's SSO state from its query: `?sso=start` opens the SSO form, `?sso=<refusal>`
 * comes back from the callback, and Auth.js's errors of a failed callback are SSO failures.
 */
export function ssoStateOf(params: { sso?: unknown; error?: unknown }): {
  open: boolean;
  error?: string;
} {
  if (typeof params.error === "string" && SSO_ERRORS.has(params.error)) {
    return { open: true, error: DID_NOT_COMPLETE };
  }
  if (typeof params.sso !== "string") return { open: false };
  return {
    open: true,
    error: params.sso === "start" ? undefined : (REFUSALS[params.sso] ?? DID_NOT_COMPLETE),
  };
}
