// Pure: shared by the server rules and the forms that echo a duration in words.
import { z } from "zod";

export type IsoDuration = {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
};

type DurationUnit = keyof IsoDuration;

const UNITS: readonly DurationUnit[] = [
  "years",
  "months",
  "weeks",
  "days",
  "hours",
  "minutes",
  "seconds",
];

const DURATION_PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const SECONDS_PER_DAY = 86_400;
// Gregorian average, so P1000Y and P12000M sit exactly on the cap.
const SECONDS_PER_YEAR = 365.2425 * SECONDS_PER_DAY;
const MAX_TOTAL_SECONDS = 1000 * SECONDS_PER_YEAR;

const UNIT_SECONDS: Record<DurationUnit, number> = {
  years: SECONDS_PER_YEAR,
  months: SECONDS_PER_YEAR / 12,
  weeks: 7 * SECONDS_PER_DAY,
  days: SECONDS_PER_DAY,
  hours: 3_600,
  minutes: 60,
  seconds: 1,
};

export const INVALID_DURATION_MESSAGE =
  "Expiry must be an ISO-8601 duration such as P30D or PT12H.";

function approximateSeconds(d: IsoDuration): number {
  return UNITS.reduce((total, unit) => total + d[unit] * UNIT_SECONDS[unit], 0);
}

export function parseIsoDuration(
  input: string,
  options: { allowZero?: boolean } = {},
): IsoDuration | null {
  if (typeof input !== "string") return null;
  const match = DURATION_PATTERN.exec(input);
  // The pattern alone would accept "P" and "P1DT".
  if (!match || input === "P" || input.endsWith("T")) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = match
    .slice(1)
    .map((group) => (group === undefined ? 0 : Number(group)));
  const duration = { years, months, weeks, days, hours, minutes, seconds };
  const total = approximateSeconds(duration);
  // A zero-length expiry would mint keys that are already expired; a zero grace period is fine.
  if ((total === 0 && !options.allowZero) || !(total <= MAX_TOTAL_SECONDS)) return null;
  return duration;
}

function daysInUtcMonth(year: number, month: number): number {
  const probe = new Date(0);
  probe.setUTCFullYear(year, month + 1, 0);
  return probe.getUTCDate();
}

function addCalendarMonths(from: Date, months: number): Date {
  const result = new Date(from.getTime());
  const day = from.getUTCDate();
  result.setUTCFullYear(from.getUTCFullYear(), from.getUTCMonth() + months, 1);
  // Clamp like Temporal does: Jan 31 + 1 month is the last day of February, never March.
  const lastDay = daysInUtcMonth(result.getUTCFullYear(), result.getUTCMonth());
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

function exactMilliseconds(d: IsoDuration): number {
  const seconds =
    (d.weeks * 7 + d.days) * SECONDS_PER_DAY + d.hours * 3_600 + d.minutes * 60 + d.seconds;
  return seconds * 1000;
}

export function addIsoDuration(from: Date, d: IsoDuration): Date {
  const calendar = addCalendarMonths(from, d.years * 12 + d.months);
  return new Date(calendar.getTime() + exactMilliseconds(d));
}

export function compareDurationsFrom(from: Date, a: IsoDuration, b: IsoDuration): number {
  return Math.sign(addIsoDuration(from, a).getTime() - addIsoDuration(from, b).getTime());
}

export type KeyExpiryResult =
  | { ok: true; expiresAt: Date; duration: string }
  | { ok: false; reason: "invalid" | "exceedsMaximum"; message: string };

export function resolveKeyExpiry(options: {
  requested?: string | null;
  tenantMax: string;
  now: Date;
}): KeyExpiryResult {
  const { now, tenantMax } = options;
  const max = parseIsoDuration(tenantMax);
  // A bad tenant setting is a configuration bug, not something the caller can fix.
  if (!max) throw new Error(`Tenant maximum key expiry is not a valid duration: ${tenantMax}`);

  const requested = options.requested?.trim();
  if (!requested) return { ok: true, expiresAt: addIsoDuration(now, max), duration: tenantMax };

  const duration = parseIsoDuration(requested);
  if (!duration) return { ok: false, reason: "invalid", message: INVALID_DURATION_MESSAGE };
  if (compareDurationsFrom(now, duration, max) > 0) {
    const message = `Expiry can be at most ${humanizeIsoDuration(tenantMax)} for this tenant.`;
    return { ok: false, reason: "exceedsMaximum", message };
  }
  return { ok: true, expiresAt: addIsoDuration(now, duration), duration: requested };
}

const UNIT_WORDS: Record<DurationUnit, string> = {
  years: "year",
  months: "month",
  weeks: "week",
  days: "day",
  hours: "hour",
  minutes: "minute",
  seconds: "second",
};

/** "P1Y2M" → "1 year 2 months"; null for anything that is not a valid duration. */
export function describeIsoDuration(s: string): string | null {
  const duration = parseIsoDuration(s.trim());
  if (!duration) return null;
  return UNITS.filter((unit) => duration[unit] > 0)
    .map((unit) => `${duration[unit]} ${UNIT_WORDS[unit]}${duration[unit] === 1 ? "" : "s"}`)
    .join(" ");
}

export function humanizeIsoDuration(s: string): string {
  return describeIsoDuration(s) ?? s;
}

export const isoDurationSchema = z
  .string()
  .trim()
  .refine((value) => parseIsoDuration(value) !== null, { error: INVALID_DURATION_MESSAGE });

export const DEFAULT_GRACE_PERIOD = "PT24H";
const MAX_GRACE_MS = 7 * SECONDS_PER_DAY * 1000;
export const GRACE_PERIOD_MESSAGE =
  "Grace period must be an ISO-8601 duration from PT0S to P7D, such as PT1H or PT24H.";

/**
 * How long a regenerated key's predecessor keeps working (SPEC §8): PT0S to P7D, in exact units
 * (weeks, days, hours, minutes, seconds), so that it means the same whatever the calendar.
 */
export function gracePeriodMilliseconds(input: string): number | null {
  const duration = parseIsoDuration(input, { allowZero: true });
  if (!duration || duration.years > 0 || duration.months > 0) return null;
  const ms = exactMilliseconds(duration);
  return ms <= MAX_GRACE_MS ? ms : null;
}
