// Whether a request reached Keyward over HTTPS. Decided in Keyward's server (scripts/server.mjs),
// which sees the socket, with the proxies trusted for the client address
// (lib/auth/client-address-rule.mjs), and handed to the app in a header of its own.

/** Set on every request by Keyward's server to `https` or `http`; a client's value is replaced. */
export const REQUEST_PROTOCOL_HEADER = "x-keyward-protocol";

/**
 * `https` when the socket is TLS, or when its peer is a trusted proxy whose X-Forwarded-Proto says
 * so (its last entry, the one that proxy wrote); a client's own X-Forwarded-Proto proves nothing.
 * @param {import("node:http").IncomingMessage} request
 * @param {(address: string, hop: number) => boolean} trust
 */
export function stampRequestProtocol(request, trust) {
  const peer = request.socket.remoteAddress;
  const forwarded =
    peer && trust(peer, 0)
      ? String(request.headers["x-forwarded-proto"] ?? "")
          .split(",")
          .at(-1)
          ?.trim()
          .toLowerCase()
      : undefined;
  const tls = "encrypted" in request.socket && request.socket.encrypted === true;
  request.headers[REQUEST_PROTOCOL_HEADER] = tls || forwarded === "https" ? "https" : "http";
}
