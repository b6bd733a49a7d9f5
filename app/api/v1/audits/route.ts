import { listAuditEvents, toAuditEventDto } from "@/lib/audit/query";
import { responseForError } from "@/lib/http/errors";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { publicUrl } from "@/lib/http/pagination";
import { auditQueryFromUrl, pageHref } from "./params";

export const GET = apiRoute(async (request, principal) => {
  const url = publicUrl(request);
  try {
    const page = await listAuditEvents(principal, auditQueryFromUrl(url));
    const links: Record<string, { href: string }> = { self: { href: url.toString() } };
    if (page.next) links.next = { href: pageHref(url, { next: page.next }) };
    if (page.prev) links.prev = { href: pageHref(url, { prev: page.prev }) };
    return json({ data: page.data.map(toAuditEventDto), links });
  } catch (error) {
    // Errors here are about query parameters, not a JSON body.
    return responseForError(error, "parameter");
  }
});

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
