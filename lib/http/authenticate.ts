import "server-only";
import { clientAddress } from "@/lib/auth/client-address";
import { getSession } from "@/lib/auth/session";
import type { Principal } from "@/lib/auth/principal";
import { recordRefusedKey, verifyApiKeyToken, type KeyVerification } from "@/lib/api-keys/verify";
import { recordKeyUse } from "@/lib/usage/recorder";
import { publicOrigin } from "./public-origin";
import {
  consumeKeyRequest,
  consumeLeasedKeyRequest,
  consumeRefusal,
  refusalsExhausted,
  type RateDecision,
} from "./rate-limit";

export type Authentication =
  | { ok: true; principal: Principal }
  /** `retryAfterMs` when the refusal is a rate limit (429) rather than bad credentials (401). */
  | { ok: false; retryAfterMs?: number };

/** Refusals are counted per client IP; requests without one share a single allowance. */
function refusalKey(ip: string | null): string {
  return ip ?? "unknown";
}

type RequestMeta = { ip: string | null; userAgent: string | null };
type KeyRefusal = Extract<KeyVerification, { ok: false }>;

/**
 * A refused token costs its address one point of its failure budget; past the budget the answer is
 * 429 instead of 401. Whatever the cause of the refusal, the answer is the same, and it tells no
 * more than 401 does: only tokens that are refused anyway are ever counted or limited.
 */
async function refuse(meta: RequestMeta, refusal?: KeyRefusal): Promise<Authentication> {
  const key = refusalKey(meta.ip);
  // An address known to be over its budget is answered from memory, without another store write.
  const wait = refusalsExhausted(key) ?? (await consumeRefusal(key));
  if (wait !== null) return { ok: false, retryAfterMs: wait };
  // Only refusals within the budget are audited: a flood of a revoked key's calls is not.
  if (refusal) await recordRefusedKey(refusal, meta);
  return { ok: false };
}

/** A key within its rate limit is admitted, and its request counted for usage. */
function admitted(
  verified: Extract<KeyVerification, { ok: true }>,
  wait: RateDecision,
  meta: RequestMeta,
  now: number,
): Authentication {
  if (wait !== null) return { ok: false, retryAfterMs: wait };
  const { apiKeyId, tenantId } = verified.principal;
  if (apiKeyId) recordKeyUse({ apiKeyId, tenantId, ip: meta.ip }, now);
  return verified;
}

/** A verified key still has to fit its rate limit; a refused one is recorded and counted. */
async function admitKey(
  result: KeyVerification,
  meta: RequestMeta,
  now: number,
): Promise<Authentication> {
  if (!result.ok) return refuse(meta, result);
  const apiKeyId = result.principal.apiKeyId;
  if (!apiKeyId) return result;
  // Most requests are counted from the instance's lease, with no store call; undefined (not null,
  // which means "go ahead") sends the request to the shared store.
  const leased = consumeLeasedKeyRequest(apiKeyId, now);
  const wait = leased !== undefined ? leased : await consumeKeyRequest(apiKeyId);
  return admitted(result, wait, meta, now);
}

/**
 * The Bearer path: no session or cookie work, one prepared lookup, counts kept in memory. The token
 * is checked before the address's budget, so that a valid key is never refused for what others
 * behind the same address (a NAT, an office) sent: it answers to its own rate limit only.
 */
async function authenticateKey(token: string | null, meta: RequestMeta): Promise<Authentication> {
  if (token === null) return refuse(meta);
  // One reading of the clock for expiry, the lease and the usage bucket.
  const now = Date.now();
  return admitKey(await verifyApiKeyToken(token, meta, now), meta, now);
}

function bearerToken(headers: Headers): string | null | undefined {
  const header = headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1] : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A session cookie may only change things from Keyward's own pages (no cross-site requests): the
 * Origin is the request's public origin, an https one behind a trusted TLS proxy included.
 */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  return origin.toLowerCase() === publicOrigin(request.headers);
}

/**
 * Credentials → Principal: a Bearer key when an Authorization header is present, else the session
 * cookie. A key is read from the header only, never from the query string.
 */
export function authenticate(request: Request): Promise<Authentication> {
  // Read once: in a route handler each read of `request.headers` goes through Next's request proxy.
  const headers = request.headers;
  const token = bearerToken(headers);
  const meta = { ip: clientAddress(headers), userAgent: headers.get("user-agent") };
  if (token !== undefined) return authenticateKey(token, meta);
  return authenticateSession(request, meta);
}

async function authenticateSession(request: Request, meta: RequestMeta): Promise<Authentication> {
  const session = await getSession();
  if (!session) return { ok: false };
  if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) return { ok: false };
  return { ok: true, principal: { ...session.principal, ...meta } };
}
