import "server-only";
import crypto from "node:crypto";
import { authSecret } from "./secret";

const VERSION = "v1";

/**
 * The key that seals secrets Keyward must give back to others (an identity provider's client
 * secret): from `KEYWARD_SSO_SECRET_KEY` where set, else from AUTH_SECRET, through HKDF so that
 * it is never the signing secret itself. Changing either makes the stored secrets unreadable.
 */
function sealingKey(): Buffer {
  const source = process.env.KEYWARD_SSO_SECRET_KEY || authSecret();
  return Buffer.from(crypto.hkdfSync("sha256", source, "keyward", "keyward sealed secrets v1", 32));
}

/**
 * Seals a secret with AES-256-GCM under a fresh IV; `context` (the tenant's ID) is authenticated
 * with it, so a sealed secret copied to another tenant does not open there.
 */
export function sealSecret(plain: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", sealingKey(), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens a sealed secret; throws when it was changed, sealed for another context or another key. */
export function openSecret(sealed: string, context: string): string {
  const [version, iv, body, tag, ...rest] = sealed.split(".");
  if (version !== VERSION || !iv || !body || !tag || rest.length > 0) {
    throw new Error("Not a sealed secret.");
  }
  const decipher = crypto.createDecipheriv(
    "aes-256-gcm",
    sealingKey(),
    Buffer.from(iv, "base64url"),
  );
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
