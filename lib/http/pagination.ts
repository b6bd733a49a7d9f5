import "server-only";

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
 * The URL the client called: Next may see its own host name in `request.url`, while links must
 * point where the client can follow them (the Host it sent, and the scheme a proxy reports).
 */
export function publicUrl(request: Request): URL {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  try {
    return new URL(
      `${url.pathname}${url.search}`,
      `${proto === "https" ? "https" : url.protocol.replace(":", "")}://${host ?? url.host}`,
    );
  } catch {
    return url;
  }
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
