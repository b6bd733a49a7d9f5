import "server-only";

import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export const API_KEY_TOKEN_PREFIX = "kw_";

const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_PART_LENGTH = 32;
// 62^6 > 2^32, so six characters always hold a CRC32.
const CHECKSUM_LENGTH = 6;

export const API_KEY_TOKEN_LENGTH =
  API_KEY_TOKEN_PREFIX.length + RANDOM_PART_LENGTH + CHECKSUM_LENGTH;

const BASE62_BODY = new RegExp(`^[0-9A-Za-z]{${RANDOM_PART_LENGTH + CHECKSUM_LENGTH}}$`);

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // Over-draw so one call to randomBytes almost always suffices.
    for (const byte of randomBytes(length - out.length + 8)) {
      // Keeping 6 bits and rejecting 62 and 63 makes every character equally likely,
      // unlike `byte % 62`, which favours the first 8 characters.
      const sixBits = byte & 0x3f;
      if (sixBits < BASE62_ALPHABET.length) out += BASE62_ALPHABET[sixBits];
      if (out.length === length) break;
    }
  }
  return out;
}

function encodeBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

function checksumOf(tokenBody: string): string {
  return encodeBase62(crc32(tokenBody), CHECKSUM_LENGTH);
}

export function generateApiKeyToken(): string {
  const body = API_KEY_TOKEN_PREFIX + randomBase62(RANDOM_PART_LENGTH);
  return body + checksumOf(body);
}

export function isWellFormedApiKeyToken(token: string): boolean {
  if (typeof token !== "string" || token.length !== API_KEY_TOKEN_LENGTH) return false;
  if (!token.startsWith(API_KEY_TOKEN_PREFIX)) return false;
  if (!BASE62_BODY.test(token.slice(API_KEY_TOKEN_PREFIX.length))) return false;
  const checksumStart = API_KEY_TOKEN_LENGTH - CHECKSUM_LENGTH;
  return checksumOf(token.slice(0, checksumStart)) === token.slice(checksumStart);
}

export function digestApiKeyToken(token: string): string {
  return hash("sha256", token, "hex");
}

export function apiKeyTokenHint(token: string): string {
  return `${API_KEY_TOKEN_PREFIX}\u2026${token.slice(-4)}`;
}

export function generateApiKeyId(): string {
  return randomBytes(12).toString("hex");
}
