import { csvRow } from "@/lib/audit/csv";
import {
  listAuditEvents,
  type AuditEventPage,
  type AuditEventQuery,
  type AuditEventView,
} from "@/lib/audit/query";
import { getSession } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/principal";
import { isDomainError } from "@/lib/errors";
import { eventQuery, pageState } from "../search-params";

const HEADER = [
  "eventTime",
  "eventType",
  "actorName",
  "actorEmail",
  "userId",
  "apiKeyId",
  "source",
  "ip",
  "userAgent",
  "id",
  "data",
];

function row(event: AuditEventView): string {
  return csvRow([
    event.eventTime,
    event.eventType,
    event.actor?.name ?? "",
    event.actor?.email ?? "",
    event.userId ?? "",
    event.apiKeyId ?? "",
    event.source,
    event.ip ?? "",
    event.userAgent ?? "",
    event.id,
    JSON.stringify(event.data),
  ]);
}

/** The filtered events as CSV, streamed page by page from the database, never held whole. */
export async function GET(request: Request): Promise<Response> {
  const session = await getSession();
  if (!session) return new Response("Sign in to export events.", { status: 401 });
  const principal = session.principal;
  if (!hasRole(principal, "TenantAdmin")) {
    return new Response("Only a tenant admin can export events.", { status: 403 });
  }
  const state = pageState(Object.fromEntries(new URL(request.url).searchParams));
  // Validate the filters before the download starts, so a bad one is a 400, not a broken file.
  let base: AuditEventQuery;
  let first: AuditEventPage;
  try {
    base = eventQuery({ ...state, next: undefined, prev: undefined }, 100);
    first = await listAuditEvents(principal, base);
  } catch (error) {
    if (isDomainError(error)) return new Response(error.message, { status: 400 });
    throw error;
  }
  const encoder = new TextEncoder();
  let page: AuditEventPage | undefined = first;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    async pull(controller) {
      if (!page) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(page.data.map(row).join("")));
      page = page.next ? await listAuditEvents(principal, { ...base, next: page.next }) : undefined;
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="keyward-events-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
