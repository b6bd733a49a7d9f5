import { apiRoute, json } from "@/lib/http/route";
import { getSpace } from "@/lib/spaces/service";

export const GET = apiRoute<{ id: string }>(async (_request, principal, { id }) =>
  json(await getSpace(principal, id)),
);
