// Which origin (scheme and host) a request was made to, as the client saw it. Decided in Keyward's
// server (scripts/server.mjs), beside the client address and by the same KEYWARD_TRUSTED_PROXIES:
// X-Forwarded-Host and X-Forwarded-Proto are believed from a trusted proxy only. The decision is
// written back into those two headers, which Next.js (its server-action origin check), Auth.js
// (its URLs and redirects) and Keyward (links, the REST origin check) all read.

const HOST = /^(\[[0-9a-f:.]+\]|[\w-]+(\.[\w-]+)*\.?)(:\d{1,5})?$/i;

/** @param {string | string[] | null | undefined} value The first of a header's values. */
function firstValue(value) {
  const header = Array.isArray(value) ? value[0] : value;
  return header?.split(",")[0]?.trim() || undefined;
}

/**
 * `scheme://host[:port]` from a scheme and a host (the first of each, when a header lists several),
 * or null when the host is no host name or address (a path, credentials or spaces in it). The one
 * spelling that every comparison of origins uses.
 * @param {string | string[] | null | undefined} scheme
 * @param {string | string[] | null | undefined} host
 * @returns {string | null}
 */
export function originOf(scheme, host) {
  const name = firstValue(host);
  if (!name || !HOST.test(name)) return null;
  try {
    return new URL(`${firstValue(scheme) === "https" ? "https" : "http"}://${name}`).origin;
  } catch {
    return null;
  }
}

/**
 * Decides the request's public origin and leaves it in X-Forwarded-Host and X-Forwarded-Proto: a
 * trusted proxy's values (the first, when it lists several), else the Host header and the socket's
 * own scheme. Whatever an untrusted client wrote in them, or in X-Forwarded-Port, is dropped.
 * @param {import("node:http").IncomingMessage} request
 * @param {(address: string, hop: number) => boolean} trust From `trustedProxies()`.
 */
export function stampPublicOrigin(request, trust) {
  const peer = request.socket.remoteAddress;
  const headers = request.headers;
  // Only a request that claims a forwarded host or scheme pays for the check of its peer.
  const claims =
    headers["x-forwarded-host"] !== undefined || headers["x-forwarded-proto"] !== undefined;
  const fromProxy = claims && peer !== undefined && trust(peer, 0);
  const scheme = fromProxy ? firstValue(headers["x-forwarded-proto"])?.toLowerCase() : undefined;
  const host = (fromProxy ? firstValue(headers["x-forwarded-host"]) : undefined) ?? headers.host;
  if (!fromProxy) delete headers["x-forwarded-port"];
  headers["x-forwarded-proto"] =
    scheme === "https" || scheme === "http"
      ? scheme
      : "encrypted" in request.socket
        ? "https"
        : "http";
  if (host) headers["x-forwarded-host"] = host;
  else delete headers["x-forwarded-host"];
}

/** @param {string | undefined} url The path as Next.js routes it, dot segments resolved. */
function isApiPath(url) {
  try {
    const { pathname } = new URL(url ?? "/", "http://keyward.invalid");
    return pathname === "/api" || pathname.startsWith("/api/");
  } catch {
    return false;
  }
}

/**
 * Whether a POST to a page, that is a server action, comes from another site: an Origin that is not
 * the request's public origin, or none from a browser that says the request is cross-site. Route
 * handlers under /api answer for themselves (REST holds session callers to the same rule).
 * @param {import("node:http").IncomingMessage} request After `stampPublicOrigin`.
 */
export function isCrossSiteAction(request) {
  if (request.method !== "POST") return false;
  if (isApiPath(request.url)) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return request.headers["sec-fetch-site"] === "cross-site";
  const expected = originOf(
    request.headers["x-forwarded-proto"],
    request.headers["x-forwarded-host"],
  );
  return expected === null || origin.toLowerCase() !== expected;
}
