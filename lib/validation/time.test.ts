import { describe, expect, it } from "vitest";
import { parseEventTimeInterval } from "@/lib/audit/query";
import { Invalid } from "@/lib/errors";
import { isStorableTime } from "./time";

describe("storable times", () => {
  it("are the years 0001 to 9999, to the millisecond", () => {
    expect(isStorableTime(new Date("0001-01-01T00:00:00.000Z"))).toBe(true);
    expect(isStorableTime(new Date("0000-12-31T23:59:59.999Z"))).toBe(false);
    expect(isStorableTime(new Date("9999-12-31T23:59:59.999Z"))).toBe(true);
    expect(isStorableTime(new Date("+010000-01-01T00:00:00.000Z"))).toBe(false);
    expect(isStorableTime(new Date("-000001-12-31T23:59:59.999Z"))).toBe(false);
    expect(isStorableTime(new Date("garbage"))).toBe(false);
  });

  it("bound the audit log's eventTime, whatever the offset", () => {
    for (const interval of [
      "9999-12-31T23:59:59-12:00/",
      "/0001-01-01T00:00:00+14:00",
      "0000-01-01T00:00:00Z/",
    ]) {
      expect(() => parseEventTimeInterval(interval)).toThrow(Invalid);
    }
    expect(parseEventTimeInterval("9999-12-31T23:59:59Z/").start).toEqual(
      new Date("9999-12-31T23:59:59Z"),
    );
  });
});
