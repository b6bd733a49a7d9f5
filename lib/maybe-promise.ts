/**
 * A value that is ready now or later. The per-request key check answers synchronously on SQLite
 * (better-sqlite3 is a synchronous driver) and asynchronously on PostgreSQL. On Next.js's request
 * path every promise runs the hooks of all its AsyncLocalStorage instances, so the key check does
 * not create one when it need not.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` at once to a ready value, or once a promised value settles. */
export function andThen<T, U>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<U>,
): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
