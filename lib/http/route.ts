import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { MaybePromise } from "@/lib/maybe-promise";
import { authenticate } from "./authenticate";
import {
  errorResponse,
  rateLimitedResponse,
  responseForError,
  unauthorizedResponse,
} from "./errors";

/** Query parameters that look like credentials: a key there is refused, never read. */
const CREDENTIAL_PARAMS = /^(api[-_]?key|apikey|key|token|access[-_]?token|bearer|authorization)$/i;

type Handler<P> = (request: Request, principal: Principal, params: P) => MaybePromise<Response>;

/**
 * Wraps a REST handler: refuses credentials in the URL, authenticates, and turns every expected
 * failure into the `{errors:[…]}` body, so that nothing a client sends can cause a 500.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const query = request.url.indexOf("?");
      const names = query === -1 ? [] : new URLSearchParams(request.url.slice(query + 1)).keys();
      for (const name of names) {
        if (CREDENTIAL_PARAMS.test(name)) {
          return errorResponse(
            400,
            "Send the API key in the Authorization header, not in the URL.",
            {
              source: { parameter: name },
            },
          );
        }
      }
      // A key checked on SQLite is answered at once: awaiting it would only add a promise.
      const checked = authenticate(request);
      const auth = checked instanceof Promise ? await checked : checked;
      if (!auth.ok) {
        return auth.retryAfterMs === undefined
          ? unauthorizedResponse()
          : rateLimitedResponse(auth.retryAfterMs);
      }
      const response = handler(request, auth.principal, await context.params);
      return response instanceof Promise ? await response : response;
    } catch (error) {
      // A GET has no body: the field of an invalid input is one of its query parameters.
      return responseForError(error, request.method === "GET" ? "parameter" : "pointer");
    }
  };
}

/** A 204 with no body, as Qlik Cloud answers PATCH and DELETE. */
export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}
