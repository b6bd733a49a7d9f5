import { describe, expect, it } from "vitest";

import {
  API_KEY_TOKEN_LENGTH,
  API_KEY_TOKEN_PREFIX,
  apiKeyTokenHint,
  digestApiKeyToken,
  generateApiKeyId,
  generateApiKeyToken,
  isWellFormedApiKeyToken,
} from "./token";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_SHAPE = /^kw_[0-9A-Za-z]{38}$/;

// Bitwise CRC32 (IEEE, reflected 0xEDB88320) so the test does not trust the implementation under test.
function referenceCrc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function decodeBase62(text: string): number {
  return [...text].reduce((acc, ch) => acc * 62 + ALPHABET.indexOf(ch), 0);
}

function encodeChecksum(value: number): string {
  let encoded = "";
  for (let rest = value; encoded.length < 6; rest = Math.floor(rest / 62)) {
    encoded = ALPHABET[rest % 62] + encoded;
  }
  return encoded;
}

describe("reference CRC32", () => {
  it("matches the standard check value", () => {
    expect(referenceCrc32("123456789")).toBe(0xcbf43926);
  });
});

describe("generateApiKeyToken", () => {
  it("has the documented prefix, length and alphabet", () => {
    expect(API_KEY_TOKEN_PREFIX).toBe("kw_");
    expect(API_KEY_TOKEN_LENGTH).toBe(41);
    for (let i = 0; i < 1000; i++) {
      const token = generateApiKeyToken();
      expect(token).toHaveLength(41);
      expect(token).toMatch(TOKEN_SHAPE);
    }
  });

  it("ends with the zero-padded base62 CRC32 of everything before it", () => {
    for (let i = 0; i < 1000; i++) {
      const token = generateApiKeyToken();
      const body = token.slice(0, 35);
      expect(decodeBase62(token.slice(35))).toBe(referenceCrc32(body));
    }
  });

  it("produces tokens that pass its own well-formedness check", () => {
    for (let i = 0; i < 1000; i++)
      expect(isWellFormedApiKeyToken(generateApiKeyToken())).toBe(true);
  });

  describe("over 100,000 tokens", () => {
    const tokens = Array.from({ length: 100_000 }, generateApiKeyToken);

    it("has no duplicates", () => {
      expect(new Set(tokens).size).toBe(tokens.length);
    });

    it("spreads the random part evenly over the 62 characters", () => {
      const counts = new Map<string, number>();
      for (const token of tokens) {
        for (const ch of token.slice(3, 35)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      }
      const expected = (tokens.length * 32) / 62;
      expect(counts.size).toBe(62);
      for (const ch of ALPHABET) {
        const count = counts.get(ch) ?? 0;
        expect(count).toBeGreaterThan(expected * 0.75);
        expect(count).toBeLessThan(expected * 1.25);
      }
    });
  });
});

describe("isWellFormedApiKeyToken", () => {
  const token = generateApiKeyToken();
  const fixedBody = "kw_0123456789abcdefghijABCDEFGHIJzZ";
  const fixedToken = fixedBody + encodeChecksum(referenceCrc32(fixedBody));

  it("accepts a token whose checksum was built independently", () => {
    expect(isWellFormedApiKeyToken(fixedToken)).toBe(true);
  });

  it("rejects every single-character substitution at every position", () => {
    const substitutes = ALPHABET + "_-";
    let checked = 0;
    for (let position = 0; position < token.length; position++) {
      for (const substitute of substitutes) {
        if (substitute === token[position]) continue;
        const mutated = token.slice(0, position) + substitute + token.slice(position + 1);
        expect(isWellFormedApiKeyToken(mutated), `${position}:${substitute}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(41 * 60);
  });

  it.each([
    ["wrong prefix", "kx_" + fixedToken.slice(3)],
    ["upper-case prefix", "KW_" + fixedToken.slice(3)],
    ["missing prefix", fixedToken.slice(3)],
    ["too short", fixedToken.slice(0, -1)],
    ["too long", fixedToken + "0"],
    ["empty", ""],
    ["non-base62 character", fixedToken.slice(0, 10) + "+" + fixedToken.slice(11)],
    ["non-ASCII character", fixedToken.slice(0, 10) + "é" + fixedToken.slice(11)],
    ["surrounding whitespace", ` ${fixedToken}`.slice(0, 41)],
    ["transposed characters", "kw_1023456789abcdefghijABCDEFGHIJzZ" + fixedToken.slice(35)],
    ["checksum of a different body", "kw_" + "1".repeat(32) + fixedToken.slice(35)],
  ])("rejects %s", (_label, candidate) => {
    expect(isWellFormedApiKeyToken(candidate)).toBe(false);
  });
});

describe("digestApiKeyToken", () => {
  it("is 64 lowercase hex characters and deterministic", () => {
    const token = generateApiKeyToken();
    const digest = digestApiKeyToken(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digestApiKeyToken(token)).toBe(digest);
  });

  it("is SHA-256 of the token", () => {
    expect(digestApiKeyToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("differs for different tokens", () => {
    expect(digestApiKeyToken(generateApiKeyToken())).not.toBe(
      digestApiKeyToken(generateApiKeyToken()),
    );
  });
});

describe("apiKeyTokenHint", () => {
  it("shows the prefix, an ellipsis and the last four characters", () => {
    const token = generateApiKeyToken();
    const hint = apiKeyTokenHint(token);
    expect(hint).toBe(`kw_\u2026${token.slice(-4)}`);
    expect(hint).toHaveLength(8);
  });
});

describe("generateApiKeyId", () => {
  it("is 24 lowercase hex characters and unique", () => {
    const ids = Array.from({ length: 10_000 }, generateApiKeyId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
