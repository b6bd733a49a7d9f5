// Fair turns under load. Node's event loop accepts one new connection per turn, and a turn lasts as
// long as the work started in it. Started as they arrive, the requests of 200 busy kept-alive
// connections make each turn last 200–500 ms, so a client that connects then waits in the accept
// queue for tens of seconds while the connected ones are served. Here at most `limit` requests run
// at once; the others wait in arrival order, and each one starts in a turn of its own (setImmediate,
// not a microtask), so a turn stays short and new connections are accepted between them.
import crypto from "node:crypto";

/**
 * Stamped on each request Next.js receives. Next.js renders the page a server action redirects to
 * by fetching it from this server with the action's own request headers, this one included: that
 * fetch is part of a request already admitted, and waiting behind others would hold the action's
 * place for ever once every place is held by such an action.
 */
export const ADMITTED_HEADER = "x-keyward-admitted";

/** Requests that run at once. More make each turn longer; fewer leave the database idle. */
export const DEFAULT_CONCURRENT_REQUESTS = 8;
/**
 * A request still running after this long (a large export streaming to a slow client) gives its
 * place on, so that a few long ones never hold the server for everyone else.
 */
export const DEFAULT_HOLD_MS = 5_000;

/**
 * `handle` behind a first-come, first-served queue of `limit` places. A place is freed when the
 * response closes (sent, or the client went away), or after `holdMs`, whichever comes first.
 * @template {import("node:http").IncomingMessage} Request
 * @template {import("node:http").ServerResponse} Response
 * @param {(request: Request, response: Response) => Promise<void>} handle
 * @param {number} [limit]
 * @param {{ holdMs?: number }} [options]
 * @returns {(request: Request, response: Response) => Promise<void>}
 */
export function admitInTurn(
  handle,
  limit = DEFAULT_CONCURRENT_REQUESTS,
  { holdMs = DEFAULT_HOLD_MS } = {},
) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be ≥ 1, not ${limit}`);
  // Known to this process only; a client that sends the header with another value just waits.
  const stamp = crypto.randomBytes(16).toString("hex");
  const stamped = Buffer.from(stamp);
  let running = 0;
  /** @type {(() => void)[]} */
  const waiting = [];
  const startNext = () => {
    while (running < limit && waiting.length > 0) {
      running++;
      setImmediate(/** @type {() => void} */ (waiting.shift()));
    }
  };
  return (request, response) => {
    const sent = request.headers[ADMITTED_HEADER];
    const onBehalf =
      typeof sent === "string" &&
      sent.length === stamp.length &&
      crypto.timingSafeEqual(Buffer.from(sent), stamped);
    request.headers[ADMITTED_HEADER] = stamp;
    if (onBehalf) return handle(request, response);
    return new Promise((resolve, reject) => {
      waiting.push(() => {
        let freed = false;
        const free = () => {
          if (freed) return;
          freed = true;
          clearTimeout(held);
          running--;
          startNext();
        };
        const held = setTimeout(free, holdMs);
        held.unref();
        response.once("close", free);
        // A client that left while its request waited is not served.
        if (response.destroyed || request.destroyed) {
          free();
          resolve();
          return;
        }
        handle(request, response).then(resolve, (error) => {
          free();
          reject(error);
        });
      });
      startNext();
    });
  };
}
