import "server-only";
import { notFound } from "next/navigation";
import type { KeyEventsPage } from "@/components/api-keys/key-details";
import {
  getApiKeyDetails,
  KEY_EVENTS_PAGE_SIZE,
  type ApiKeyDetails,
  type KeyPageScope,
} from "@/lib/api-keys/details";
import type { Principal } from "@/lib/auth/principal";
import { isDomainError } from "@/lib/errors";
import { DEFAULT_USAGE_PERIOD, isUsagePeriod, type UsagePeriod } from "@/lib/usage/stats";

type SearchParams = Record<string, string | string[] | undefined>;

/** What a key's page keeps in its URL: the usage period and where its events start. */
export interface KeyPageState {
  period: UsagePeriod;
  next?: string;
  prev?: string;
  /** Which page of events this is, for the "Showing 11–20" summary only. */
  page: number;
}

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export function keyPageState(params: SearchParams): KeyPageState {
  const period = first(params.period);
  return {
    period: isUsagePeriod(period) ? period : DEFAULT_USAGE_PERIOD,
    next: first(params.next),
    prev: first(params.prev),
    page: Math.min(Math.max(Number.parseInt(first(params.page) ?? "", 10) || 1, 1), 1_000_000),
  };
}

/** A link to the key's page in the given state. */
export function keyPageHref(path: string, state: KeyPageState): string {
  const query = new URLSearchParams();
  if (state.period !== DEFAULT_USAGE_PERIOD) query.set("period", state.period);
  if (state.next) query.set("next", state.next);
  if (state.prev) query.set("prev", state.prev);
  if ((state.next || state.prev) && state.page > 1) query.set("page", String(state.page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * The key for its page, or the 404 page: a key that is not there, another tenant's, or (on the
 * profile) another person's all look the same. A stale events link starts again from the newest.
 */
export async function loadKeyPage(
  principal: Principal,
  id: string,
  scope: KeyPageScope,
  state: KeyPageState,
): Promise<{ details: ApiKeyDetails; eventsPage: KeyEventsPage }> {
  const path = `/${scope === "own" ? "profile" : "admin"}/api-keys/${encodeURIComponent(id)}`;
  try {
    const details = await getApiKeyDetails(principal, id, scope, state);
    return { details, eventsPage: eventsPageOf(path, state, details, null) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code === "INVALID" && (error.field === "next" || error.field === "prev")) {
      const first = { period: state.period, page: 1 };
      const details = await getApiKeyDetails(principal, id, scope, first);
      return { details, eventsPage: eventsPageOf(path, first, details, error.message) };
    }
    if (error.code === "NOT_FOUND" || error.code === "INVALID") notFound();
    throw error;
  }
}

function eventsPageOf(
  path: string,
  state: KeyPageState,
  { events }: ApiKeyDetails,
  problem: string | null,
): KeyEventsPage {
  const { page } = state;
  return {
    start: (page - 1) * KEY_EVENTS_PAGE_SIZE + 1,
    problem,
    previousHref: events.prev
      ? keyPageHref(path, { ...state, next: undefined, prev: events.prev, page: page - 1 })
      : null,
    nextHref: events.next
      ? keyPageHref(path, { ...state, next: events.next, prev: undefined, page: page + 1 })
      : null,
  };
}
