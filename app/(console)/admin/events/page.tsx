import { Suspense } from "react";
import type { Metadata } from "next";
import { Pagination } from "@/components/data-table/pagination";
import { EventFilters } from "@/components/events/event-filters";
import { EventsTable } from "@/components/events/events-table";
import { PeriodPicker } from "@/components/events/period-picker";
import { formatCount } from "@/components/events/format";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import {
  countAuditEvents,
  listAuditEvents,
  listAuditUsers,
  type AuditEventPage,
} from "@/lib/audit/query";
import { requirePageSession } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { eventQuery, eventsHref, pageState } from "./search-params";
import { Usage, UsageLoading } from "./usage";

export const metadata: Metadata = { title: "Events · Administration" };

const PAGE_SIZE = 25;

export default async function AdminEventsPage({ searchParams }: PageProps<"/admin/events">) {
  const { principal } = await requirePageSession("/admin/events", "TenantAdmin");
  const state = pageState(await searchParams);
  const filtered = !!(state.eventType || state.user || state.key || state.from || state.to);
  let events: AuditEventPage = { data: [] };
  let count: { total: number; capped: boolean } | null = null;
  let problem: string | null = null;
  try {
    const query = eventQuery(state, PAGE_SIZE);
    [events, count] = await Promise.all([
      listAuditEvents(principal, query),
      countAuditEvents(principal, query),
    ]);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    problem = error.message;
  }
  const users = await listAuditUsers(principal);
  const start = (state.page - 1) * PAGE_SIZE + 1;
  const pageless = { next: undefined, prev: undefined, page: 1 };
  const exportHref = eventsHref(state, pageless).replace("/admin/events", "/admin/events/export");

  return (
    <>
      <PageHeader
        title="Events"
        description="Administration · Every change to keys and settings, and how much each key is used."
      />
      <section aria-labelledby="usage-heading" className="mb-10 grid gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="usage-heading" className="text-lg font-semibold">
            Usage
          </h2>
          <PeriodPicker
            current={state.period}
            hrefFor={(period) => eventsHref(state, { period, ...pageless })}
          />
        </div>
        {/* After the session is checked: streaming the usage keeps the page's status codes. */}
        <Suspense key={state.period} fallback={<UsageLoading />}>
          <Usage principal={principal} period={state.period} />
        </Suspense>
      </section>
      {/* No landmark of its own: the events table's region already bears this name. */}
      <div className="grid gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="events-heading" className="text-lg font-semibold">
            Audit events
          </h2>
          {/* Plain links: both are downloads from route handlers, not pages. */}
          <div className="flex flex-wrap gap-2">
            <a
              href="/admin/events/checkpoint"
              download
              title="The log's signed head, to keep outside Keyward and check the log against with npm run audit:verify"
              className={buttonClasses({ variant: "secondary", size: "sm" })}
            >
              Download checkpoint
            </a>
            <a
              href={exportHref}
              download
              className={buttonClasses({ variant: "secondary", size: "sm" })}
            >
              Export CSV
            </a>
          </div>
        </div>
        <EventFilters values={state} users={users} />
        {problem && <Alert variant="error">{problem}</Alert>}
        {count && (
          <p role="status" className="text-sm text-slate-600">
            {count.capped
              ? `At least ${formatCount(count.total)} events match.`
              : `${formatCount(count.total)} event${count.total === 1 ? "" : "s"} ${filtered ? "match" : "in all"}.`}
          </p>
        )}
        <EventsTable events={events.data} filtered={filtered} />
        <Pagination
          start={start}
          end={events.data.length === 0 ? 0 : start + events.data.length - 1}
          previousHref={
            events.prev
              ? eventsHref(state, { prev: events.prev, next: undefined, page: state.page - 1 })
              : null
          }
          nextHref={
            events.next
              ? eventsHref(state, { next: events.next, prev: undefined, page: state.page + 1 })
              : null
          }
        />
      </div>
    </>
  );
}
