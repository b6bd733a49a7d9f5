import { parseQuery } from "@/lib/http/query";
import { publicUrl } from "@/lib/http/pagination";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { countUsers, countUsersQuerySchema } from "@/lib/users/directory";

export const GET = apiRoute(async (request, principal) => {
  const { filter } = parseQuery(countUsersQuerySchema, publicUrl(request));
  return json(await countUsers(principal, filter));
});

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
