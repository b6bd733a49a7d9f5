import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { configuredLimiter, takePoint } from "@/lib/db/rate-limit-store";
import { ssoRequiredFor, ssoRequiredForEmail } from "@/lib/sso/sign-in";
import { authenticateWithPassword } from "./users";

/** Failed sign-ins are counted over this window; a blocked account or address waits it out. */
const WINDOW_SECONDS = 15 * 60;

/**
 * Failed sign-ins per account in 15 minutes, from any address (`KEYWARD_SIGN_IN_FAILURES_PER_ACCOUNT`,
 * default 10): guessing one user's password from many addresses stops here.
 */
function accountLimiter(): Promise<RateLimiterAbstract> {
  return configuredLimiter({
    keyPrefix: "sign-in-account",
    pointsFrom: "KEYWARD_SIGN_IN_FAILURES_PER_ACCOUNT",
    defaultPoints: 10,
    durationSeconds: WINDOW_SECONDS,
  });
}

/**
 * Failed sign-ins per client address in 15 minutes, whatever the account
 * (`KEYWARD_SIGN_IN_FAILURES_PER_ADDRESS`, default 50): trying one password on many accounts stops
 * here.
 */
function addressLimiter(): Promise<RateLimiterAbstract> {
  return configuredLimiter({
    keyPrefix: "sign-in-address",
    pointsFrom: "KEYWARD_SIGN_IN_FAILURES_PER_ADDRESS",
    defaultPoints: 50,
    durationSeconds: WINDOW_SECONDS,
  });
}

/** What a sign-in attempt is counted under: the email as typed (normalized) and the client address. */
export interface SignInAttempt {
  email: string;
  address: string | null;
}

function counted(attempt: SignInAttempt): [Promise<RateLimiterAbstract>, string][] {
  const keys: [Promise<RateLimiterAbstract>, string][] = [[accountLimiter(), attempt.email]];
  if (attempt.address) keys.push([addressLimiter(), attempt.address]);
  return keys;
}

/**
 * Takes one failure's point from the account and the address before the password is checked, so
 * that concurrent attempts cannot all slip in under the limit; a success gives them back. Returns
 * the milliseconds to wait when either is used up (then nothing stays taken), or null.
 */
async function takeAttempt(attempt: SignInAttempt): Promise<number | null> {
  const taken: [RateLimiterAbstract, string][] = [];
  for (const [pending, key] of counted(attempt)) {
    const limiter = await pending;
    const wait = await takePoint(limiter, key);
    if (wait !== null) {
      for (const [other, otherKey] of taken) await other.reward(otherKey);
      return wait;
    }
    taken.push([limiter, key]);
  }
  return null;
}

/** A successful sign-in clears the account's failures and gives the address its point back. */
async function succeeded(attempt: SignInAttempt): Promise<void> {
  await (await accountLimiter()).delete(attempt.email);
  if (attempt.address) await (await addressLimiter()).reward(attempt.address);
}

export type SignInResult =
  | { ok: true; user: NonNullable<Awaited<ReturnType<typeof authenticateWithPassword>>> }
  /**
   * `waitMs` is set when the attempt was not even checked: too many failures came before it.
   * `ssoRequired`: the user's tenant requires single sign-on (lib/sso).
   */
  | { ok: false; waitMs: number | null; ssoRequired?: boolean };

/**
 * A sign-in with email and password, throttled: after too many failures for the account or from
 * the address, attempts are refused unchecked until the window ends. Each failure counts against
 * both, atomically in the shared store; a success clears the account's count. Where the tenant
 * requires single sign-on, the password is refused (unchecked where the email's domain says so).
 */
export async function signInWithPassword(
  attempt: SignInAttempt & { password: string },
): Promise<SignInResult> {
  if (await ssoRequiredForEmail(attempt.email)) {
    return { ok: false, waitMs: null, ssoRequired: true };
  }
  const waitMs = await takeAttempt(attempt);
  if (waitMs !== null) return { ok: false, waitMs };
  const user = await authenticateWithPassword(attempt.email, attempt.password);
  if (!user) return { ok: false, waitMs: null };
  await succeeded(attempt);
  if (await ssoRequiredFor(user)) return { ok: false, waitMs: null, ssoRequired: true };
  return { ok: true, user };
}
