// One fixed zone so that the server's render and the browser's hydration print the same text.
const DATE_TIME = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function formatKeyTime(iso: string): string {
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

const SOON_MS = 7 * 24 * 60 * 60 * 1000;

/** Active keys that stop working within a week get a warning next to their expiry. */
export function expiresSoon(expiresAt: string, now: string): boolean {
  const left = new Date(expiresAt).getTime() - new Date(now).getTime();
  return left > 0 && left < SOON_MS;
}
