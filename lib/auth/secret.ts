import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * AUTH_SECRET signs sessions. Without one, the embedded setup makes a random secret once and keeps
 * it beside the database, so a fresh clone works and sessions survive a restart. Several app
 * instances must share one AUTH_SECRET.
 */
export function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "data", ".auth-secret");
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
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
