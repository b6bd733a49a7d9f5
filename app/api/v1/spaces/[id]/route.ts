import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { getSpace } from "@/lib/spaces/service";

export const GET = apiRoute<{ id: string }>(async (_request, principal, { id }) =>
  json(await getSpace(principal, id)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
