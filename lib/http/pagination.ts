import "server-only";
import { publicOrigin } from "./public-origin";

export interface Link {
  href: string;
}

export interface PageLinks {
  self: Link;
  next?: Link;
  prev?: Link;
}

export { decodeCursor, encodeCursor } from "@/lib/cursor";

/**
 * The URL the client called: Next sees its own host name in `request.url`, while links must point
 * where the client can follow them, at the request's public origin.
 */
export function publicUrl(request: Request): URL {
  const url = new URL(request.url);
  const origin = publicOrigin(request.headers);
  return origin ? new URL(`${url.pathname}${url.search}`, origin) : url;
}

/** The absolute URL of the current request with some query parameters replaced or removed. */
export function hrefWith(url: URL, changes: Record<string, string | null>): string {
  const next = new URL(url.href);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) next.searchParams.delete(name);
    else next.searchParams.set(name, value);
  }
  return next.href;
}

/** `links` of a page: self always, next and prev when there is something there. */
export function pageLinks(
  url: URL,
  pages: { next?: Record<string, string | null>; prev?: Record<string, string | null> },
): PageLinks {
  const links: PageLinks = { self: { href: url.href } };
  if (pages.next) links.next = { href: hrefWith(url, pages.next) };
  if (pages.prev) links.prev = { href: hrefWith(url, pages.prev) };
  return links;
}
