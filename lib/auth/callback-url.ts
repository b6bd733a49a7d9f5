export const HOME_PATH = "/profile/api-keys";

/**
 * Where to go after sign-in: a path on this site only ("/…", never "//host" or "/\host"), so that
 * the sign-in page cannot be used to send people elsewhere.
 */
export function safeCallbackUrl(value: unknown): string {
  const path = typeof value === "string" ? value : "";
  return /^\/(?![/\\])/.test(path) ? path : HOME_PATH;
}
