import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { authenticate } from "./authenticate";
import {
  errorResponse,
  rateLimitedResponse,
  responseForError,
  unauthorizedResponse,
} from "./errors";

/** Query parameters that look like credentials: a key there is refused, never read. */
const CREDENTIAL_PARAMS = /^(api[-_]?key|apikey|key|token|access[-_]?token|bearer|authorization)$/i;

type Handler<P> = (
  request: Request,
  principal: Principal,
  params: P,
) => Promise<Response> | Response;

/**
 * Wraps a REST handler: refuses credentials in the URL, authenticates, and turns every expected
 * failure into the `{errors:[…]}` body, so that nothing a client sends can cause a 500.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params?: Promise<P> }): Promise<Response> => {
    try {
      const refused = credentialsInUrl(request.url);
      if (refused) return refused;
      const auth = await authenticate(request);
      if (!auth.ok) {
        return auth.retryAfterMs === undefined
          ? unauthorizedResponse()
          : rateLimitedResponse(auth.retryAfterMs);
      }
      // Routes without dynamic segments get no params from Next.js.
      const params = context.params ? await context.params : ({} as P);
      return await handler(request, auth.principal, params);
    } catch (error) {
      // A GET has no body: the field of an invalid input is one of its query parameters.
      return responseForError(error, request.method === "GET" ? "parameter" : "pointer");
    }
  };
}

/** A 400 when a query parameter looks like a credential: a key there is refused, never read. */
function credentialsInUrl(url: string): Response | null {
  const query = url.indexOf("?");
  if (query === -1) return null;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys()) {
    if (CREDENTIAL_PARAMS.test(name)) {
      return errorResponse(400, "Send the API key in the Authorization header, not in the URL.", {
        source: { parameter: name },
      });
    }
  }
  return null;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/** One handler under every method name, for a route module to export the ones it needs. */
function everyMethod<H>(handler: H): Record<Method, H> {
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, H>;
}

/**
 * Handlers for the methods a route does not offer: 405 in the `{errors:[…]}` body, with `Allow`,
 * where Next.js would answer with an empty body. A route exports the ones it lacks:
 * `export const { PUT, DELETE } = otherMethodsRefused("GET", "POST")`.
 */
export function otherMethodsRefused(...offered: Method[]): Record<Method, () => Response> {
  const allow = [...offered, ...(offered.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  return everyMethod(() =>
    errorResponse(405, `This endpoint answers ${offered.join(", ")}.`, { headers: { allow } }),
  );
}

/** Handlers for every method of a path Keyward's API does not have: 404 in its error body. */
export function unknownEndpoint(): Record<Method, (request: Request) => Response> {
  return everyMethod((request: Request) =>
    errorResponse(404, `No endpoint ${request.method} ${new URL(request.url).pathname}.`),
  );
}

/** A 204 with no body, as Qlik Cloud answers PATCH and DELETE. */
export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}
