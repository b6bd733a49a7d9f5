import "server-only";
import crypto from "node:crypto";
import { loadedDialect } from "@/lib/db/dialect";
import { Busy, isDomainError, type DomainErrorCode } from "@/lib/errors";

export interface ApiErrorItem {
  code: string;
  title: string;
  detail?: string;
  status: string;
  source?: { pointer?: string; parameter?: string };
}

const STATUS_OF: Record<DomainErrorCode, number> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LIMIT_REACHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  BUSY: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

/** The HTTP status of a domain error. */
export function domainStatus(error: { code: DomainErrorCode }): number {
  return STATUS_OF[error.code];
}

export function newTraceId(): string {
  return crypto.randomBytes(16).toString("hex");
}

/** The `{errors:[…], traceId}` body of every REST error (Qlik Cloud's shape). */
export function errorResponse(
  status: number,
  detail?: string,
  options: { code?: string; source?: ApiErrorItem["source"]; headers?: HeadersInit } = {},
): Response {
  const traceId = newTraceId();
  const item: ApiErrorItem = {
    code: options.code ?? `HTTP-${status}`,
    title: TITLES[status] ?? "Error",
    status: String(status),
  };
  if (detail) item.detail = detail;
  if (options.source) item.source = options.source;
  return Response.json(
    { errors: [item], traceId },
    { status, headers: { "cache-control": "no-store", ...options.headers } },
  );
}

/** Missing, malformed, unknown, expired, revoked key or disabled owner: one identical answer. */
export function unauthorizedResponse(): Response {
  return errorResponse(401, "Valid credentials are required.", {
    headers: { "www-authenticate": 'Bearer realm="keyward"' },
  });
}

/** A failure of the HTTP exchange itself (body, content type, query, rate limit), with its status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly source?: ApiErrorItem["source"],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpProblem";
  }
}

/** 429 with `Retry-After` in whole seconds. */
export function rateLimitedResponse(retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return errorResponse(429, `Too many requests. Try again in ${seconds} seconds.`, {
    headers: { "retry-after": String(seconds) },
  });
}

/** Expected domain failures become their status; anything else is logged and answered 500. */
export function responseForError(
  error: unknown,
  sourceKind: "pointer" | "parameter" = "pointer",
): Response {
  if (error instanceof HttpProblem) {
    if (error.status === 401) return unauthorizedResponse();
    return errorResponse(error.status, error.message, {
      source: error.source,
      headers: error.headers,
    });
  }
  if (isDomainError(error)) {
    const status = STATUS_OF[error.code];
    if (status === 401) return unauthorizedResponse();
    const source = error.field
      ? sourceKind === "pointer"
        ? { pointer: `/${error.field.replaceAll(".", "/")}` }
        : { parameter: error.field }
      : undefined;
    return errorResponse(status, error.message, {
      code: error.code === "LIMIT_REACHED" ? "LIMIT-REACHED" : undefined,
      source,
      headers: status === 503 ? { "retry-after": "1" } : undefined,
    });
  }
  // A database that stayed busy (a single write outside a retried transaction) changed nothing.
  if (loadedDialect()?.isRetryable(error)) return responseForError(new Busy(), sourceKind);
  const traceId = newTraceId();
  console.error(`[keyward] unexpected error, traceId=${traceId}`, error);
  return Response.json(
    { errors: [{ code: "HTTP-500", title: "Internal server error", status: "500" }], traceId },
    { status: 500 },
  );
}
