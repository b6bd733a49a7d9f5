import { regenerateApiKey } from "@/lib/api-keys/service";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";

type Params = { id: string };

/** Keyward's extension (Stripe's "roll"): a new key in place of the old, which ends after a grace period. */
export const POST = apiRoute<Params>(async (request, principal, { id }) => {
  // No body at all means the defaults; a body must be JSON.
  const headers = request.headers;
  const empty =
    headers.get("content-type") === null && (headers.get("content-length") ?? "0") === "0";
  const input = empty ? {} : await readJsonBody(request);
  const { key, token, replaces } = await regenerateApiKey(principal, id, input);
  return json({ ...key, token, replaces }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethodsRefused("POST");
