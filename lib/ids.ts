import crypto from "node:crypto";

/** 24 lowercase hex characters, the shape of Qlik Cloud resource IDs. */
export function newId(): string {
  return crypto.randomBytes(12).toString("hex");
}
