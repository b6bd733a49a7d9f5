import { describe, expect, it } from "vitest";

import {
  INVALID_DURATION_MESSAGE,
  type IsoDuration,
  addIsoDuration,
  compareDurationsFrom,
  humanizeIsoDuration,
  isoDurationSchema,
  parseIsoDuration,
  resolveKeyExpiry,
} from "./duration";

const ZERO: IsoDuration = {
  years: 0,
  months: 0,
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
};

function dur(parts: Partial<IsoDuration>): IsoDuration {
  return { ...ZERO, ...parts };
}

function utc(iso: string): Date {
  return new Date(iso);
}

describe("parseIsoDuration", () => {
  it.each<[string, Partial<IsoDuration>]>([
    ["P1Y", { years: 1 }],
    ["P2M", { months: 2 }],
    ["P3W", { weeks: 3 }],
    ["P90D", { days: 90 }],
    ["PT12H", { hours: 12 }],
    ["PT30M", { minutes: 30 }],
    ["PT45S", { seconds: 45 }],
    ["P1Y2M", { years: 1, months: 2 }],
    ["P1M", { months: 1 }],
    ["PT1M", { minutes: 1 }],
    ["P1DT1M", { days: 1, minutes: 1 }],
    [
      "P1Y2M3W4DT5H6M7S",
      { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 },
    ],
    ["P0Y1D", { days: 1 }],
    ["P007D", { days: 7 }],
    ["PT2160H", { hours: 2160 }],
    ["P1000Y", { years: 1000 }],
    ["P12000M", { months: 12000 }],
    ["P365242D", { days: 365242 }],
  ])("parses %s", (input, expected) => {
    expect(parseIsoDuration(input)).toEqual(dur(expected));
  });

  it.each([
    ["", "empty string"],
    ["P", "no components"],
    ["PT", "no time components"],
    ["P1DT", "dangling T"],
    ["P0D", "zero length"],
    ["PT0S", "zero length time"],
    ["P-1D", "negative"],
    ["-P1D", "negative sign before P"],
    ["P+1D", "explicit sign"],
    ["P1.5D", "fraction with dot"],
    ["PT0,5H", "fraction with comma"],
    ["p1d", "lower case"],
    ["P1d", "lower-case unit"],
    ["1D", "missing P"],
    ["P1H", "time unit without T"],
    ["PT1D", "date unit after T"],
    ["P1D1Y", "components out of order"],
    ["P1Y1Y", "repeated component"],
    ["P1W1Y", "week before year"],
    [" P1D", "leading whitespace"],
    ["P1D ", "trailing whitespace"],
    ["P1 D", "inner whitespace"],
    ["P1e3D", "exponent"],
    ["P0x10D", "hex"],
    ["P1DX", "trailing garbage"],
    ["30 days", "plain words"],
    ["P1001Y", "over 1000 years"],
    ["P1000Y1D", "just over 1000 years"],
    ["P12001M", "over 1000 years of months"],
    ["P365243D", "over 1000 years of days"],
    ["PT99999999999999999999S", "huge seconds"],
    [`P${"9".repeat(400)}Y`, "number too big for a double"],
  ])("rejects %j (%s)", (input) => {
    expect(parseIsoDuration(input)).toBeNull();
  });
});

describe("addIsoDuration", () => {
  it("adds exact units in milliseconds", () => {
    const from = utc("2024-03-10T00:00:00.000Z");
    expect(addIsoDuration(from, dur({ hours: 1, minutes: 2, seconds: 3 })).toISOString()).toBe(
      "2024-03-10T01:02:03.000Z",
    );
    expect(addIsoDuration(from, dur({ weeks: 1, days: 1 })).toISOString()).toBe(
      "2024-03-18T00:00:00.000Z",
    );
  });

  it("keeps the time of day and milliseconds for calendar units", () => {
    const from = utc("2023-05-15T13:14:15.678Z");
    expect(addIsoDuration(from, dur({ months: 1 })).toISOString()).toBe("2023-06-15T13:14:15.678Z");
  });

  it("does not mutate its input", () => {
    const from = utc("2024-01-31T00:00:00.000Z");
    addIsoDuration(from, dur({ months: 1, days: 3 }));
    expect(from.toISOString()).toBe("2024-01-31T00:00:00.000Z");
  });

  it.each([
    ["2023-01-31T10:00:00.000Z", { months: 1 }, "2023-02-28T10:00:00.000Z"],
    ["2024-01-31T10:00:00.000Z", { months: 1 }, "2024-02-29T10:00:00.000Z"],
    ["2024-03-31T00:00:00.000Z", { months: 1 }, "2024-04-30T00:00:00.000Z"],
    ["2024-01-31T00:00:00.000Z", { months: 2 }, "2024-03-31T00:00:00.000Z"],
    ["2024-01-31T00:00:00.000Z", { months: 1, days: 1 }, "2024-03-01T00:00:00.000Z"],
    ["2024-12-31T00:00:00.000Z", { months: 2 }, "2025-02-28T00:00:00.000Z"],
    ["2024-11-30T00:00:00.000Z", { months: 3 }, "2025-02-28T00:00:00.000Z"],
    ["2024-01-15T00:00:00.000Z", { years: 1, months: 13 }, "2026-02-15T00:00:00.000Z"],
  ])("month-end: %s + %o = %s", (from, parts, expected) => {
    expect(addIsoDuration(utc(from), dur(parts)).toISOString()).toBe(expected);
  });

  it.each([
    ["2024-02-29T00:00:00.000Z", { years: 1 }, "2025-02-28T00:00:00.000Z"],
    ["2024-02-29T00:00:00.000Z", { years: 4 }, "2028-02-29T00:00:00.000Z"],
    ["2024-02-29T00:00:00.000Z", { months: 12 }, "2025-02-28T00:00:00.000Z"],
    ["2096-02-29T00:00:00.000Z", { years: 4 }, "2100-02-28T00:00:00.000Z"],
    ["1996-02-29T00:00:00.000Z", { years: 4 }, "2000-02-29T00:00:00.000Z"],
    ["2024-02-28T00:00:00.000Z", { days: 1 }, "2024-02-29T00:00:00.000Z"],
    ["2023-02-28T00:00:00.000Z", { days: 1 }, "2023-03-01T00:00:00.000Z"],
    ["2024-01-01T00:00:00.000Z", { days: 366 }, "2025-01-01T00:00:00.000Z"],
    ["2024-01-01T00:00:00.000Z", { years: 1 }, "2025-01-01T00:00:00.000Z"],
  ])("leap years: %s + %o = %s", (from, parts, expected) => {
    expect(addIsoDuration(utc(from), dur(parts)).toISOString()).toBe(expected);
  });

  it("handles the 1000-year cap without leaving the Date range", () => {
    const result = addIsoDuration(utc("2024-02-29T00:00:00.000Z"), parseIsoDuration("P1000Y")!);
    expect(result.toISOString()).toBe("3024-02-29T00:00:00.000Z");
  });
});

describe("compareDurationsFrom", () => {
  const from = utc("2024-02-01T00:00:00.000Z");

  it("orders by the resulting date", () => {
    expect(compareDurationsFrom(from, dur({ days: 1 }), dur({ hours: 25 }))).toBe(-1);
    expect(compareDurationsFrom(from, dur({ hours: 25 }), dur({ days: 1 }))).toBe(1);
    expect(compareDurationsFrom(from, dur({ weeks: 1 }), dur({ days: 7 }))).toBe(0);
  });

  it("depends on the starting date for calendar units", () => {
    // February 2024 has 29 days.
    expect(compareDurationsFrom(from, dur({ months: 1 }), dur({ days: 29 }))).toBe(0);
    expect(compareDurationsFrom(from, dur({ months: 1 }), dur({ days: 30 }))).toBe(-1);
    const march = utc("2024-03-01T00:00:00.000Z");
    expect(compareDurationsFrom(march, dur({ months: 1 }), dur({ days: 30 }))).toBe(1);
  });
});

describe("resolveKeyExpiry", () => {
  const now = utc("2024-01-31T12:00:00.000Z");

  it.each([undefined, null, "", "   "])(
    "uses the tenant maximum when requested is %j",
    (requested) => {
      expect(resolveKeyExpiry({ requested, tenantMax: "P90D", now })).toEqual({
        ok: true,
        expiresAt: utc("2024-04-30T12:00:00.000Z"),
        duration: "P90D",
      });
    },
  );

  it("uses the tenant maximum when requested is omitted", () => {
    const result = resolveKeyExpiry({ tenantMax: "P1M", now });
    expect(result).toEqual({
      ok: true,
      expiresAt: utc("2024-02-29T12:00:00.000Z"),
      duration: "P1M",
    });
  });

  it("accepts a shorter request", () => {
    expect(resolveKeyExpiry({ requested: "PT12H", tenantMax: "P90D", now })).toEqual({
      ok: true,
      expiresAt: utc("2024-02-01T00:00:00.000Z"),
      duration: "PT12H",
    });
  });

  it("trims the request", () => {
    const result = resolveKeyExpiry({ requested: " P30D ", tenantMax: "P90D", now });
    expect(result).toMatchObject({ ok: true, duration: "P30D" });
  });

  it.each(["30 days", "P", "PT", "p30d", "P-1D", "P1.5D", "P0D"])(
    "refuses %j as invalid",
    (requested) => {
      expect(resolveKeyExpiry({ requested, tenantMax: "P90D", now })).toEqual({
        ok: false,
        reason: "invalid",
        message: "Expiry must be an ISO-8601 duration such as P30D or PT12H.",
      });
    },
  );

  describe("at the maximum boundary", () => {
    it("allows a request exactly equal to the maximum", () => {
      expect(resolveKeyExpiry({ requested: "PT2160H", tenantMax: "P90D", now })).toEqual({
        ok: true,
        expiresAt: utc("2024-04-30T12:00:00.000Z"),
        duration: "PT2160H",
      });
      expect(resolveKeyExpiry({ requested: "PT7776000S", tenantMax: "P90D", now }).ok).toBe(true);
      expect(resolveKeyExpiry({ requested: "P90D", tenantMax: "P90D", now }).ok).toBe(true);
    });

    it.each(["PT2160H1S", "PT7776001S", "P90DT1S", "P91D", "P1Y"])(
      "refuses %s, which is longer than the maximum",
      (requested) => {
        expect(resolveKeyExpiry({ requested, tenantMax: "P90D", now })).toEqual({
          ok: false,
          reason: "exceedsMaximum",
          message: "Expiry can be at most 90 days for this tenant.",
        });
      },
    );

    it("compares calendar maxima by the resulting date from now", () => {
      // From Jan 31 2024, P1M ends on Feb 29, which is 29 days later.
      expect(resolveKeyExpiry({ requested: "P29D", tenantMax: "P1M", now }).ok).toBe(true);
      expect(resolveKeyExpiry({ requested: "P29DT1S", tenantMax: "P1M", now })).toEqual({
        ok: false,
        reason: "exceedsMaximum",
        message: "Expiry can be at most 1 month for this tenant.",
      });
    });
  });

  it("throws on a misconfigured tenant maximum", () => {
    expect(() => resolveKeyExpiry({ requested: "P1D", tenantMax: "90 days", now })).toThrow(
      /Tenant maximum/,
    );
  });
});

describe("humanizeIsoDuration", () => {
  it.each([
    ["P90D", "90 days"],
    ["P1D", "1 day"],
    ["P1Y", "1 year"],
    ["P2Y", "2 years"],
    ["PT1H", "1 hour"],
    ["PT12H", "12 hours"],
    ["P1Y2M", "1 year 2 months"],
    ["P1M", "1 month"],
    ["PT1M", "1 minute"],
    ["P2W", "2 weeks"],
    ["PT1S", "1 second"],
    ["P0Y1D", "1 day"],
    ["P1Y2M3W4DT5H6M7S", "1 year 2 months 3 weeks 4 days 5 hours 6 minutes 7 seconds"],
  ])("%s → %s", (input, expected) => {
    expect(humanizeIsoDuration(input)).toBe(expected);
  });

  it.each(["", "P", "nonsense", "p1d", "P0D"])("returns invalid input %j unchanged", (input) => {
    expect(humanizeIsoDuration(input)).toBe(input);
  });
});

describe("isoDurationSchema", () => {
  it("accepts and trims a valid duration", () => {
    expect(isoDurationSchema.parse("  P30D ")).toBe("P30D");
  });

  it.each(["", "P", "30 days", "P1.5D"])("rejects %j with the documented message", (input) => {
    const result = isoDurationSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(INVALID_DURATION_MESSAGE);
  });

  it("rejects non-strings", () => {
    expect(isoDurationSchema.safeParse(30).success).toBe(false);
  });
});
