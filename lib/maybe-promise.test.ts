import { describe, expect, it } from "vitest";
import { andThen } from "./maybe-promise";

describe("andThen", () => {
  it("applies the next step at once to a ready value, with no promise", () => {
    const result = andThen(2, (value) => value * 3);
    expect(result).toBe(6);
  });

  it("waits for a promised value, and for a promise the next step returns", async () => {
    const result = andThen(Promise.resolve(2), (value) => Promise.resolve(value * 3));
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(6);
  });

  it("passes a rejection on instead of applying the next step", async () => {
    let applied = false;
    const result = andThen(Promise.reject(new Error("lookup failed")), () => {
      applied = true;
    });
    await expect(result).rejects.toThrow("lookup failed");
    expect(applied).toBe(false);
  });
});
