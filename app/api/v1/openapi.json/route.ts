import { openApiDocument } from "@/lib/openapi/document";

/** Public: the document describes the API, it grants nothing. */
export function GET(request: Request) {
  return Response.json(openApiDocument(new URL(request.url).origin), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
