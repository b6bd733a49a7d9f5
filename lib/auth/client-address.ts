/**
 * Proxies in front of Keyward that append the address they saw to X-Forwarded-For
 * (`KEYWARD_PROXY_HOPS`, default 1: one reverse proxy or load balancer).
 */
function proxyHops(): number {
  const hops = Number(process.env.KEYWARD_PROXY_HOPS);
  return Number.isInteger(hops) && hops >= 1 ? hops : 1;
}

/**
 * The client's address, for audit events and the per-address refusal limit. Entries a client
 * writes into X-Forwarded-For come first and prove nothing; the address the nearest trusted proxy
 * appended is the `KEYWARD_PROXY_HOPS`-th from the right. Without a proxy, Next.js fills the header
 * from the socket when the client sent none.
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) {
    // One entry (no proxy, or one that replaced the header): every count of hops lands on it.
    if (!forwarded.includes(",")) {
      const only = forwarded.trim();
      if (only) return only;
    } else {
      const entries = forwarded
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      const trusted = entries[Math.max(0, entries.length - proxyHops())];
      if (trusted) return trusted;
    }
  }
  return headers.get("x-real-ip") || null;
}
