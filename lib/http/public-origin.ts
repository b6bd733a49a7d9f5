import { originOf } from "./public-origin-rule.mjs";

/**
 * The origin the client called (`https://keys.example.com`), as Keyward's server decided it from the
 * socket and `KEYWARD_TRUSTED_PROXIES` (lib/http/public-origin-rule.mjs): a trusted proxy's
 * X-Forwarded-Host and X-Forwarded-Proto, else the Host header. Null when the host is no host.
 */
export function publicOrigin(headers: Headers): string | null {
  return originOf(
    headers.get("x-forwarded-proto"),
    headers.get("x-forwarded-host") ?? headers.get("host"),
  );
}
