import { describe, expect, it } from "vitest";
import { localText, relativeText, shortLocalText, utcText } from "@/components/ui/time-format";

const NOW = new Date("2026-11-30T13:08:07.000Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

describe("one way of writing a time", () => {
  it("gives the exact UTC time to the second", () => {
    expect(utcText("2026-11-30T13:08:07.551Z")).toBe("2026-11-30 13:08:07 UTC");
  });

  it("writes the time in the viewer's zone", () => {
    expect(localText("2026-11-30T13:08:07Z", "Europe/Berlin")).toBe("Nov 30, 2026, 2:08 PM");
    expect(localText("2026-11-30T13:08:07Z", "America/New_York")).toBe("Nov 30, 2026, 8:08 AM");
    // Late in the evening in New York it is the next day in UTC.
    expect(localText("2026-12-01T02:00:00Z", "America/New_York")).toBe("Nov 30, 2026, 9:00 PM");
  });

  it("leaves out this year's year in the short form", () => {
    expect(shortLocalText("2026-03-02T08:00:00Z", NOW, "UTC")).toBe("Mar 2, 8:00 AM");
    expect(shortLocalText("2027-03-02T08:00:00Z", NOW, "UTC")).toBe("Mar 2, 2027, 8:00 AM");
  });

  it("says how long ago or ahead, in the unit that reads best", () => {
    expect(relativeText(ago(5), NOW)).toBe("just now");
    expect(relativeText(ago(90), NOW)).toBe("2 minutes ago");
    expect(relativeText(ago(3 * 3600), NOW)).toBe("3 hours ago");
    expect(relativeText(ago(26 * 3600), NOW)).toBe("yesterday");
    expect(relativeText(ago(-29 * 86_400), NOW)).toBe("in 29 days");
    expect(relativeText(ago(-90 * 86_400), NOW)).toBe("in 3 months");
    expect(relativeText(ago(400 * 86_400), NOW)).toBe("last year");
  });
});
