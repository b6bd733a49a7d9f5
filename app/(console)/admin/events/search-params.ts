import type { AuditEventQuery } from "@/lib/audit/query";
import { Invalid } from "@/lib/errors";
import { isStorableTime, LAST_STORABLE_TIME } from "@/lib/validation/time";
import { DEFAULT_USAGE_PERIOD, isUsagePeriod, type UsagePeriod } from "@/lib/usage/stats";

export type EventSearchParams = Record<string, string | string[] | undefined>;

/** What the Events page keeps in its URL, so that filters survive a reload and can be shared. */
export interface EventsPageState {
  eventType: string;
  user: string;
  key: string;
  from: string;
  to: string;
  period: UsagePeriod;
  next?: string;
  prev?: string;
  /** Which page this is, for the "Showing 11–20" summary only; the cursors do the paging. */
  page: number;
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

export function pageState(params: EventSearchParams): EventsPageState {
  const period = first(params.period);
  return {
    eventType: first(params.eventType),
    user: first(params.user),
    key: first(params.key),
    from: first(params.from),
    to: first(params.to),
    period: isUsagePeriod(period) ? period : DEFAULT_USAGE_PERIOD,
    next: first(params.next) || undefined,
    prev: first(params.prev) || undefined,
    page: Math.min(Math.max(Number.parseInt(first(params.page), 10) || 1, 1), 1_000_000),
  };
}

const DAY = 86_400_000;

/** A day of the calendar (2020-02-30 is none; nor is 0000-01-01), as its UTC midnight. */
function utcDay(value: string, field: "from" | "to"): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null;
  if (!date || !isStorableTime(date) || date.toISOString().slice(0, 10) !== value) {
    throw new Invalid(`${field === "from" ? "From" : "To"} must be a date (YYYY-MM-DD).`, field);
  }
  return date;
}

/** The page's filters as the domain query; "To" includes its whole (UTC) day. */
export function eventQuery(state: EventsPageState, limit: number): AuditEventQuery {
  if (state.from && state.to && utcDay(state.from, "from") > utcDay(state.to, "to")) {
    throw new Invalid("From is after To: choose a From date on or before the To date.", "from");
  }
  return {
    eventType: (state.eventType || undefined) as AuditEventQuery["eventType"],
    userId: state.user || undefined,
    // An ID's first characters are enough (the search rules of lib/audit/query).
    apiKeyIdPrefix: state.key || undefined,
    start: state.from ? utcDay(state.from, "from") : undefined,
    end: state.to
      ? new Date(Math.min(utcDay(state.to, "to").getTime() + DAY, LAST_STORABLE_TIME))
      : undefined,
    limit,
    next: state.next,
    prev: state.prev,
  };
}

/** A link to the page with some of its state changed; empty values are left out. */
export function eventsHref(state: EventsPageState, changes: Partial<EventsPageState> = {}): string {
  const merged = { ...state, ...changes };
  const params = new URLSearchParams();
  for (const name of ["eventType", "user", "key", "from", "to", "next", "prev"] as const) {
    const value = merged[name];
    if (value) params.set(name, value);
  }
  if (merged.period !== DEFAULT_USAGE_PERIOD) params.set("period", merged.period);
  if ((merged.next || merged.prev) && merged.page > 1) params.set("page", String(merged.page));
  const query = params.toString();
  return query ? `/admin/events?${query}` : "/admin/events";
}
