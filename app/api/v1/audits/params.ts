import "server-only";
import { parseEventTimeInterval, type AuditEventQuery } from "@/lib/audit/query";
import { Invalid } from "@/lib/errors";

/** `GET /api/v1/audits` query parameters → the domain's query, which validates them. */
export function auditQueryFromUrl(url: URL): AuditEventQuery {
  const params = url.searchParams;
  const query: AuditEventQuery = {};
  const text = (name: string) => params.get(name) ?? undefined;
  query.eventType = text("eventType") as AuditEventQuery["eventType"];
  query.userId = text("userId");
  query.next = text("next");
  query.prev = text("prev");
  const sort = text("sort");
  if (sort !== undefined) {
    // A "+" in a query string arrives as a space.
    query.sort = (
      sort === "eventTime" || sort === " eventTime" ? "+eventTime" : sort
    ) as AuditEventQuery["sort"];
  }
  const limit = text("limit");
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit))
      throw new Invalid("limit must be a whole number from 1 to 100.", "limit");
    query.limit = Number(limit);
  }
  const eventTime = text("eventTime");
  if (eventTime !== undefined) Object.assign(query, parseEventTimeInterval(eventTime));
  return query;
}

/**
 * The URL as the client asked for it: behind `next start` or a proxy, `request.url` can name
 * another host than the one the client (and its cookies) used.
 */
export function requestedUrl(request: Request): URL {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (host) url.host = host;
  if (proto === "http" || proto === "https") url.protocol = `${proto}:`;
  return url;
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
