import "server-only";
import { parseEventTimeInterval, type AuditEventQuery } from "@/lib/audit/query";
import { auditsQuerySchema } from "@/lib/audit/query-params";
import { parseInput } from "@/lib/validation/parse";

/** `GET /api/v1/audits` query parameters → the domain's query, which validates them further. */
export function auditQueryFromUrl(url: URL): AuditEventQuery {
  const params = parseInput(auditsQuerySchema, Object.fromEntries(url.searchParams));
  const query: AuditEventQuery = {
    eventType: params.eventType as AuditEventQuery["eventType"],
    userId: params.userId,
    next: params.next,
    prev: params.prev,
    limit: params.limit,
    // A "+" in a query string arrives as a space.
    sort:
      params.sort === undefined
        ? undefined
        : params.sort.endsWith("-eventTime")
          ? "-eventTime"
          : "+eventTime",
  };
  if (params.eventTime !== undefined)
    Object.assign(query, parseEventTimeInterval(params.eventTime));
  return query;
}

/** The page's own URL with one cursor swapped in, for `links.next` / `links.prev`. */
export function pageHref(url: URL, cursor: { next?: string; prev?: string }): string {
  const target = new URL(url);
  target.searchParams.delete("next");
  target.searchParams.delete("prev");
  if (cursor.next) target.searchParams.set("next", cursor.next);
  if (cursor.prev) target.searchParams.set("prev", cursor.prev);
  return target.toString();
}
