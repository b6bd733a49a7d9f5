import { unknownEndpoint } from "@/lib/http/route";

// Paths under /api/v1 that no other route answers get the API's JSON 404, not the HTML page.
export const { GET, POST, PUT, PATCH, DELETE } = unknownEndpoint();
