export const HOME_PATH = "/profile/api-keys";

/**
 * The path of the page asked for, set by proxy.ts on every page request (a client's own value is
 * replaced), so that a layout, which is not told its URL, can send sign-in back there.
 */
export const REQUEST_PATH_HEADER = "x-keyward-path";

// Any origin serves: only whether a value stays on the one it is resolved against matters.
const SITE = new URL("http://keyward.invalid");

/**
 * Where to go after sign-in: a path on this site only, so that the sign-in page cannot be used to
 * send people elsewhere. The value is resolved as a browser resolves a Location header (WHATWG URL
 * parsing: tabs and newlines dropped, `\` read as `/`, dot segments applied), and only the path,
 * query and fragment of a same-origin result are kept, percent-encoded and so safe in a header.
 */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) return HOME_PATH;
  const url = URL.parse(value, SITE);
  if (url?.origin !== SITE.origin) return HOME_PATH;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can leave `//host` (`/.//evil.test`), which a browser reads as another origin.
  return URL.parse(path, SITE)?.href === url.href ? path : HOME_PATH;
}
