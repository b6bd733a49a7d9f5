const SOON_MS = 7 * 24 * 60 * 60 * 1000;

/** Active keys that stop working within a week get a warning next to their expiry. */
export function expiresSoon(expiresAt: string, now: string): boolean {
  const left = new Date(expiresAt).getTime() - new Date(now).getTime();
  return left > 0 && left < SOON_MS;
}
