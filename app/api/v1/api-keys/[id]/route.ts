import { deleteOrRevokeApiKey, getApiKey, renameApiKey } from "@/lib/api-keys/service";
import { readJsonBody } from "@/lib/http/body";
import { applyPatch, parseReplacePatch } from "@/lib/http/json-patch";
import { apiRoute, json, noContent, otherMethodsRefused } from "@/lib/http/route";

type Params = { id: string };

export const GET = apiRoute<Params>(async (_request, principal, { id }) =>
  json(await getApiKey(principal, id)),
);

export const PATCH = apiRoute<Params>(async (request, principal, { id }) => {
  const patch = parseReplacePatch(await readJsonBody(request), { "/description": "description" });
  await applyPatch(patch, (changes) => renameApiKey(principal, id, changes.description));
  return noContent();
});

export const DELETE = apiRoute<Params>(async (_request, principal, { id }) => {
  await deleteOrRevokeApiKey(principal, id);
  return noContent();
});

export const { POST, PUT } = otherMethodsRefused("GET", "PATCH", "DELETE");
