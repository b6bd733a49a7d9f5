import type { ReactNode } from "react";
import { Pagination } from "@/components/data-table/pagination";
import { EventsTable } from "@/components/events/events-table";
import { PeriodPicker } from "@/components/events/period-picker";
import { UsageChart } from "@/components/events/usage-chart";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import Link from "next/link";
import type { ApiKeyDetails, LinkedKey } from "@/lib/api-keys/details";
import { USAGE_PERIODS, type UsagePeriod } from "@/lib/usage/stats";
import { Time } from "@/components/ui/time";
import { KeyStatusBadge } from "./key-status-badge";

export interface KeyEventsPage {
  /** Place of the page's first event, from 1. */
  start: number;
  previousHref: string | null;
  nextHref: string | null;
  /** Why the events start from the newest again, when a stale link was followed. */
  problem: string | null;
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[10rem_1fr] sm:gap-3">
      <dt className="font-medium text-slate-900">{term}</dt>
      <dd className="min-w-0 break-words text-slate-700">{children}</dd>
    </div>
  );
}

/** Another key of the regeneration chain: a link to its page, or its ID once it was deleted. */
function KeyLink({ linked, href }: { linked: LinkedKey; href: (id: string) => string }) {
  if (!linked.exists) {
    return (
      <span>
        <code className="font-mono text-xs">{linked.id}</code>{" "}
        <span className="text-slate-600">(deleted)</span>
      </span>
    );
  }
  return (
    <Link href={href(linked.id)} className="text-blue-800 underline underline-offset-2">
      {linked.description} <code className="font-mono text-xs">{linked.id}</code>
    </Link>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="grid gap-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * One key's page: its details, its usage over time, the addresses it was last used from and its
 * events. The actions the viewer may take come from the page.
 */
export function KeyDetails({
  details,
  period,
  periodHref,
  keyHref,
  eventsPage,
}: {
  details: ApiKeyDetails;
  period: UsagePeriod;
  periodHref: (period: UsagePeriod) => string;
  /** The page of another key seen the same way (profile or administration). */
  keyHref: (id: string) => string;
  eventsPage: KeyEventsPage;
}) {
  const { key, usage, addresses, events, revokedBy, replaces, replacedBy } = details;
  const { label, unit } = USAGE_PERIODS[period];
  return (
    <div className="grid gap-10">
      <Section id="key-details-heading" title="Details">
        <dl className="grid gap-2 rounded-xl border border-slate-200 bg-white p-6 text-sm shadow-sm">
          <Item term="Name">{key.description}</Item>
          <Item term="Key ID">
            <span className="flex flex-wrap items-center gap-3">
              <code className="font-mono text-xs">{key.id}</code>
              <CopyButton value={key.id} label="Copy key ID" />
            </span>
          </Item>
          <Item term="Token">
            <code className="font-mono text-xs">{key.hint}</code>
            <span className="ml-2 text-slate-600">(only its end is kept)</span>
          </Item>
          <Item term="Owner">
            {key.ownerName} <span className="text-slate-600">&lt;{key.ownerEmail}&gt;</span>
          </Item>
          <Item term="Created">
            <Time iso={key.createdAt} />
          </Item>
          <Item term="Expires">
            <Time iso={key.expiresAt} />
          </Item>
          <Item term="Last used">
            <Time iso={key.lastUsedAt} />
          </Item>
          <Item term="Status">
            <KeyStatusBadge status={key.status} inactiveReason={key.inactiveReason} />
          </Item>
          {replaces && (
            <Item term="Replaces">
              <KeyLink linked={replaces} href={keyHref} />
            </Item>
          )}
          {replacedBy && (
            <Item term="Replaced by">
              <KeyLink linked={replacedBy} href={keyHref} />
            </Item>
          )}
          {key.revokedAt && (
            <Item term="Revoked">
              <Time iso={key.revokedAt} />
              {revokedBy && ` by ${revokedBy.name} <${revokedBy.email}>`}
            </Item>
          )}
        </dl>
      </Section>

      <Section id="key-usage-heading" title="Usage">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-600">
            Requests made with this key. Counts are written every few seconds.
          </p>
          <PeriodPicker current={period} hrefFor={periodHref} />
        </div>
        <UsageChart series={usage} title={`Requests per ${unit}, ${label.toLowerCase()}`} />
      </Section>

      <Section id="key-addresses-heading" title="Last used from">
        <p className="text-sm text-slate-600">
          The address of the last request in each hour the key was used, newest first. Keyward does
          not keep the address of every request.
        </p>
        {addresses.length === 0 ? (
          <p className="text-sm text-slate-600">This key has not been used yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="w-full max-w-xl text-left text-sm">
              <caption className="sr-only">Addresses this key was last used from</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2.5 font-semibold">
                    Address
                  </th>
                  <th scope="col" className="px-4 py-2.5 font-semibold">
                    Last request
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {addresses.map((address) => (
                  <tr key={address.ip}>
                    <td className="px-4 py-2.5">
                      <code className="font-mono text-xs">{address.ip}</code>
                    </td>
                    <td className="px-4 py-2.5">
                      <Time iso={address.lastUsedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="key-events-heading" title="Events">
        {eventsPage.problem && <Alert variant="warning">{eventsPage.problem}</Alert>}
        <EventsTable events={events.data} filtered={false} keyLinks={false} />
        <Pagination
          start={eventsPage.start}
          end={events.data.length === 0 ? 0 : eventsPage.start + events.data.length - 1}
          previousHref={eventsPage.previousHref}
          nextHref={eventsPage.nextHref}
        />
      </Section>
    </div>
  );
}
