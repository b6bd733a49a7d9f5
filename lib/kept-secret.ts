import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A secret from the environment variable `envName`, or else one made at random once and kept in
 * `data/<fileName>` (readable by its owner only), so that a fresh clone works and the secret
 * survives a restart. Several app instances must share the environment variable.
 */
export function keptSecret(envName: string, fileName: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "data", fileName);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    // The folder holds the database too: its owner's alone (scripts/prepare-db.mjs keeps it so).
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = crypto.randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      // Another process made it first.
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
