import { listApiKeys, listApiKeysQuerySchema } from "@/lib/api-keys/list";
import { createApiKey } from "@/lib/api-keys/service";
import { readJsonBody } from "@/lib/http/body";
import { pageLinks, publicUrl } from "@/lib/http/pagination";
import { parseQuery } from "@/lib/http/query";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";

export const GET = apiRoute(async (request, principal) => {
  const url = publicUrl(request);
  const page = await listApiKeys(principal, parseQuery(listApiKeysQuerySchema, url));
  return json({
    data: page.data,
    links: pageLinks(url, {
      next: page.nextStartingAfter
        ? { startingAfter: page.nextStartingAfter, endingBefore: null }
        : undefined,
      prev: page.prevEndingBefore
        ? { endingBefore: page.prevEndingBefore, startingAfter: null }
        : undefined,
    }),
  });
});

export const POST = apiRoute(async (request, principal) => {
  const { key, token } = await createApiKey(principal, await readJsonBody(request));
  return json({ ...key, token }, 201);
});

export const { PUT, PATCH, DELETE } = otherMethodsRefused("GET", "POST");
