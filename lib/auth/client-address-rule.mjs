// Which address a request comes from. Decided in Keyward's server (scripts/server.mjs), the one
// place that sees the socket, and handed to the app in a header of its own.
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";

/** Set on every request by Keyward's server; whatever a client sent under this name is replaced. */
export const CLIENT_ADDRESS_HEADER = "x-keyward-client-address";

/**
 * `KEYWARD_TRUSTED_PROXIES`: the proxies in front of Keyward whose X-Forwarded-For is believed, as
 * comma-separated addresses, CIDR ranges or the names `loopback`, `linklocal` and `uniquelocal`.
 * None by default: the client is the socket's peer, whatever headers it writes.
 * @param {string | undefined} value
 */
export function trustedProxies(value = process.env.KEYWARD_TRUSTED_PROXIES) {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return proxyaddr.compile(entries);
}

/**
 * The client's address: the socket's peer, or, while that peer is a trusted proxy, the address it
 * says it received the request from (X-Forwarded-For read from the right). An entry that is no IP
 * address is not believed: the last trusted proxy stands as the client.
 * @param {import("node:http").IncomingMessage} request
 * @param {ReturnType<typeof trustedProxies>} trust
 */
export function stampClientAddress(request, trust) {
  // From the socket's peer outwards, up to and including the first address no trusted proxy wrote.
  const hops = request.socket.remoteAddress ? proxyaddr.all(request, trust) : [];
  const last = hops.at(-1) ?? "";
  const address = isIP(last) ? last : (hops.at(-2) ?? last);
  // An IPv4 client of a dual-stack socket is written as IPv4 (127.0.0.1, not ::ffff:127.0.0.1).
  request.headers[CLIENT_ADDRESS_HEADER] = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
}
