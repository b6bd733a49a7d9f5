import { readJsonBody } from "@/lib/http/body";
import { decodeCursor, encodeCursor, pageLinks, publicUrl } from "@/lib/http/pagination";
import { parseQuery } from "@/lib/http/query";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { listSpacesQuerySchema } from "@/lib/spaces/schemas";
import { createSpace, listSpaces } from "@/lib/spaces/service";

interface SpaceCursor {
  after?: string;
  before?: string;
}

function isSpaceCursor(value: unknown): value is SpaceCursor {
  if (typeof value !== "object" || value === null) return false;
  const { after, before } = value as Record<string, unknown>;
  return (typeof after === "string") !== (typeof before === "string");
}

export const GET = apiRoute(async (request, principal) => {
  const url = publicUrl(request);
  const query = parseQuery(listSpacesQuerySchema, url);
  const cursor: SpaceCursor = query.next
    ? decodeCursor(query.next, "next", isSpaceCursor)
    : query.prev
      ? decodeCursor(query.prev, "prev", isSpaceCursor)
      : {};
  const page = await listSpaces(principal, { limit: query.limit, name: query.name, ...cursor });
  return json({
    data: page.data,
    meta: { count: page.count },
    links: pageLinks(url, {
      next: page.nextAfter
        ? { next: encodeCursor({ after: page.nextAfter }), prev: null }
        : undefined,
      prev: page.prevBefore
        ? { prev: encodeCursor({ before: page.prevBefore }), next: null }
        : undefined,
    }),
  });
});

export const POST = apiRoute(async (request, principal) =>
  json(await createSpace(principal, await readJsonBody(request)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethodsRefused("GET", "POST");
