import { publicUrl } from "@/lib/http/pagination";
import { openApiDocument } from "@/lib/openapi/document";
import { otherMethodsRefused } from "@/lib/http/route";

/** Public: the document describes the API, it grants nothing. */
export function GET(request: Request) {
  return Response.json(openApiDocument(publicUrl(request).origin), {
    headers: { "cache-control": "public, max-age=300" },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
