/**
 * Keyward's one way of writing a time: the exact UTC time (for titles, and for the server's render,
 * which knows no viewer's zone), the viewer's local time, and how long ago or ahead it is.
 */

/** "2026-11-30 13:08:07 UTC": the same on every machine. */
export function utcText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** "Nov 30, 2026, 2:08 PM" in the given zone (the viewer's own when left out). */
export function localText(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-US", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(new Date(iso));
}

/** "Nov 30, 2:08 PM": the year only when it is not `now`'s, for narrow table columns. */
export function shortLocalText(iso: string, now: Date, timeZone?: string): string {
  const date = new Date(iso);
  const year = (d: Date) =>
    new Intl.DateTimeFormat("en-US", { year: "numeric", timeZone }).format(d);
  return new Intl.DateTimeFormat("en-US", {
    month: "short",
    day: "numeric",
    year: year(date) === year(now) ? undefined : "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(date);
}

const RELATIVE = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  // unit, its length in seconds, and from how many seconds on it is used
  ["year", 365 * 86_400, 320 * 86_400],
  ["month", 30 * 86_400, 45 * 86_400],
  ["day", 86_400, 22 * 3_600],
  ["hour", 3_600, 45 * 60],
  ["minute", 60, 45],
];

/** "3 hours ago", "in 29 days", "just now". */
export function relativeText(iso: string, now: Date): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const size = Math.abs(seconds);
  for (const [unit, length, from] of STEPS) {
    if (size >= from) return RELATIVE.format(Math.sign(seconds) * Math.round(size / length), unit);
  }
  return "just now";
}
