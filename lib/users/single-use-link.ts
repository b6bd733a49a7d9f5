import "server-only";
import crypto from "node:crypto";

/**
 * The secret of a single-use link (an invitation, a password reset): shown once in the link and
 * kept only as its SHA-256 digest, as key tokens are. `prefix` says which kind of link it opens.
 */
export function newLinkSecret(prefix: string): { token: string; digest: string } {
  const token = `${prefix}${crypto.randomBytes(32).toString("base64url")}`;
  return { token, digest: digestOf(token) };
}

/** The digest to look a link up by; null for anything that cannot be a secret of this kind. */
export function linkDigest(prefix: string, token: unknown): string | null {
  if (typeof token !== "string" || !token.startsWith(prefix) || token.length > 200) return null;
  return digestOf(token);
}

/** Whether a stored link still opens: neither used (or replaced) nor expired. */
export function linkIsOpen(link: { endedAt: Date | null; expiresAt: Date }): boolean {
  return !link.endedAt && link.expiresAt.getTime() > Date.now();
}

function digestOf(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
