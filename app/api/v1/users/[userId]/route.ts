import { readJsonBody } from "@/lib/http/body";
import { applyPatch, parseReplacePatch } from "@/lib/http/json-patch";
import { apiRoute, json, noContent, otherMethodsRefused } from "@/lib/http/route";
import { deleteUser, updateTenantUser } from "@/lib/users/admin";
import { getUser } from "@/lib/users/directory";
import { userChangesFromPatch } from "@/lib/users/rest";

type Params = { userId: string };

export const GET = apiRoute<Params>(async (_request, principal, { userId }) =>
  json(await getUser(principal, userId)),
);

export const PATCH = apiRoute<Params>(async (request, principal, { userId }) => {
  const patch = parseReplacePatch(await readJsonBody(request), {
    "/name": "name",
    "/assignedRoles": "assignedRoles",
    "/status": "status",
  });
  await applyPatch(patch, (changes) =>
    updateTenantUser(principal, userId, userChangesFromPatch(changes)),
  );
  return noContent();
});

export const DELETE = apiRoute<Params>(async (_request, principal, { userId }) => {
  await deleteUser(principal, userId);
  return noContent();
});

export const { POST, PUT } = otherMethodsRefused("GET", "PATCH", "DELETE");
