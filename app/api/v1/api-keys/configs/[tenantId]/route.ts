import { readJsonBody } from "@/lib/http/body";
import { applyPatch, parseReplacePatch } from "@/lib/http/json-patch";
import { apiRoute, json, noContent, otherMethodsRefused } from "@/lib/http/route";
import { getApiKeySettings, updateApiKeySettings } from "@/lib/tenants/settings";

type Params = { tenantId: string };

const PATCHABLE = {
  "/api_keys_enabled": "api_keys_enabled",
  "/max_api_key_expiry": "max_api_key_expiry",
  "/max_keys_per_user": "max_keys_per_user",
  "/revoke_unused_after_days": "revoke_unused_after_days",
};

export const GET = apiRoute<Params>(async (_request, principal, { tenantId }) =>
  json(await getApiKeySettings(principal, tenantId)),
);

export const PATCH = apiRoute<Params>(async (request, principal, { tenantId }) => {
  const patch = parseReplacePatch(await readJsonBody(request), PATCHABLE);
  await applyPatch(patch, (changes) => updateApiKeySettings(principal, tenantId, changes));
  return noContent();
});

export const { POST, PUT, DELETE } = otherMethodsRefused("GET", "PATCH");
