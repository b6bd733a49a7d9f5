// SPEC §9: the headers every response of Keyward carries. Next.js adds them to every response from
// next.config.ts (no code runs per request: the REST API's hot path stays as fast); proxy.ts then
// gives each page a policy with a nonce of its own in place of the one that allows nothing.

/** Set by Keyward's server (lib/http/public-origin-rule.mjs): `https` or `http`. */
const PROTOCOL_HEADER = "x-forwarded-proto";

/** A fresh, unguessable value for one response's scripts. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}

/**
 * A page's policy: only scripts that carry this response's nonce, and what they load
 * (`'strict-dynamic'`), so that injected markup cannot run script. Next.js finds the nonce in the
 * request's copy of this header and puts it on its own scripts while rendering.
 */
export function pageContentSecurityPolicy(
  nonce: string,
  { https, development }: { https: boolean; development: boolean },
): string {
  return [
    "default-src 'self'",
    // React's development build evaluates server stacks; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Radix renders style attributes on the server and sonner adds its stylesheet at run time, so
    // styles may be inline; with images, fonts and connections held to 'self', injected CSS can
    // still send nothing elsewhere. The nonce guards scripts, where the danger is.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the request reached Keyward over HTTPS, as Keyward's server decided it. */
export function servedOverHttps(headers: Headers): boolean {
  return headers.get(PROTOCOL_HEADER) === "https";
}
