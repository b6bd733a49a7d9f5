/** The short-lived cookie naming the tenant whose identity provider a sign-in goes through. */
export const SSO_TENANT_COOKIE = "keyward.sso-tenant";

/** Only Auth.js's endpoints need it: the callback reads it back. */
export const SSO_TENANT_COOKIE_PATH = "/api/auth";
