import { getAuditEvent, toAuditEventDto } from "@/lib/audit/query";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";

export const GET = apiRoute<{ id: string }>(async (_request, principal, { id }) =>
  json(toAuditEventDto(await getAuditEvent(principal, id))),
);

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
