import { describe, expect, it } from "vitest";
import { generateApiKeyId } from "@/lib/api-keys/token";
import { configuredLimiter, sharedLimiter } from "@/lib/db/rate-limit-store";
import { consumeKeyRequest, consumeLeasedKeyRequest } from "./rate-limit";

// The default limit: 1,000 requests per key per minute, leased from the store 10 points at a time.
const LIMIT = 1000;

async function consumeSequentially(apiKeyId: string, count: number) {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await consumeKeyRequest(apiKeyId));
  return decisions;
}

describe("per-key rate limit", () => {
  it("allows exactly the limit one request after another, then asks to wait", async () => {
    const decisions = await consumeSequentially(generateApiKeyId(), LIMIT + 5);
    expect(decisions.slice(0, LIMIT).every((decision) => decision === null)).toBe(true);
    for (const wait of decisions.slice(LIMIT)) {
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(wait).toBeLessThanOrEqual(60_000);
    }
  });

  it("allows exactly the limit when the requests arrive all at once", async () => {
    const apiKeyId = generateApiKeyId();
    const decisions = await Promise.all(
      Array.from({ length: LIMIT + 100 }, () => consumeKeyRequest(apiKeyId)),
    );
    expect(decisions.filter((decision) => decision === null)).toHaveLength(LIMIT);
    expect(decisions.filter((decision) => decision !== null)).toHaveLength(100);
  });

  it("counts leased points in the shared store at once, so another instance sees them", async () => {
    const apiKeyId = generateApiKeyId();
    await consumeSequentially(apiKeyId, LIMIT - 5);
    // This instance still holds 5 leased points; the store already counts all 1,000.
    const otherInstance = await sharedLimiter({
      keyPrefix: "key",
      points: LIMIT,
      durationSeconds: 60,
    });
    await expect(otherInstance.consume(apiKeyId)).rejects.toMatchObject({ remainingPoints: 0 });
    expect(await consumeSequentially(apiKeyId, 5)).toEqual([null, null, null, null, null]);
    expect(await consumeKeyRequest(apiKeyId)).toBeGreaterThanOrEqual(1000);
  });

  it("gives back to the store only points the store took, not a refusal held in memory", async () => {
    const apiKeyId = generateApiKeyId();
    // This instance's own limiter, as consumeKeyRequest uses it: over the limit, it holds the key
    // as refused in memory and stops asking the store.
    const limiter = await configuredLimiter({
      keyPrefix: "key",
      pointsFrom: "KEYWARD_RATE_LIMIT_PER_KEY",
      defaultPoints: LIMIT,
      durationSeconds: 60,
    });
    await limiter.consume(apiKeyId, LIMIT);
    await expect(limiter.consume(apiKeyId, 2)).rejects.toMatchObject({ remainingPoints: 0 });
    expect(await consumeKeyRequest(apiKeyId)).toBeGreaterThanOrEqual(1000);
    const other = await sharedLimiter({ keyPrefix: "key", points: LIMIT, durationSeconds: 60 });
    expect((await other.get(apiKeyId))?.consumedPoints).toBeGreaterThanOrEqual(LIMIT + 2);
  });

  it("answers from memory only while this instance holds a lease", async () => {
    const apiKeyId = generateApiKeyId();
    expect(consumeLeasedKeyRequest(apiKeyId)).toBeUndefined();
    expect(await consumeKeyRequest(apiKeyId)).toBeNull();
    for (let i = 0; i < 9; i++) expect(consumeLeasedKeyRequest(apiKeyId)).toBeNull();
    expect(consumeLeasedKeyRequest(apiKeyId)).toBeUndefined();
  });
});
