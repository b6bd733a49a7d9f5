import { CLIENT_ADDRESS_HEADER } from "./client-address-rule.mjs";

/**
 * The client's address, for audit events and the per-address refusal limit, as Keyward's server
 * decided it from the socket and `KEYWARD_TRUSTED_PROXIES`. Headers a client writes (X-Forwarded-For,
 * X-Real-IP) prove nothing and are not read here. Unknown (null) when the app runs without Keyward's
 * server, as under a bare `next dev` or `next start`.
 */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER) || null;
}
