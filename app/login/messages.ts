/** What the sign-in page says when an attempt is refused, whichever way it was sent. */
export const WRONG_CREDENTIALS = "Incorrect email or password.";

/** Too many failures: the wait in whole minutes where it is known. */
export function tooManyAttempts(minutes?: number): string {
  const wait = minutes === undefined ? "later" : `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many failed sign-ins. Try again ${wait}.`;
}
