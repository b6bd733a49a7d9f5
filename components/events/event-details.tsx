"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import type { AuditEventView } from "@/lib/audit/query";
import { Time } from "@/components/ui/time";

function Json({ value }: { value: unknown }) {
  return (
    // Focusable, so that a keyboard can scroll long event data.
    <pre
      tabIndex={0}
      className="max-h-64 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs whitespace-pre-wrap text-slate-800 outline-none focus-visible:ring-2 focus-visible:ring-blue-600"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:grid-cols-[10rem_1fr] sm:gap-3">
      <dt className="font-medium text-slate-900">{term}</dt>
      <dd className="min-w-0 break-words text-slate-700">{children}</dd>
    </div>
  );
}

function beforeAfter(data: unknown): { before: unknown; after: unknown } | null {
  if (data && typeof data === "object" && "before" in data && "after" in data) {
    return { before: data.before, after: data.after };
  }
  return null;
}

/** Everything recorded about one event, with the way from its key ID to the key itself. */
export function EventDetails({
  event,
  keyLink = true,
}: {
  event: AuditEventView;
  keyLink?: boolean;
}) {
  const change = beforeAfter(event.data);
  return (
    <section aria-label={`Details of ${event.eventType} event`} className="grid gap-4 text-sm">
      <dl className="grid gap-2">
        <Item term="Event ID">
          <code>{event.id}</code>
        </Item>
        <Item term="Time">
          <Time iso={event.eventTime} />
        </Item>
        <Item term="Actor">
          {event.actor ? `${event.actor.name} <${event.actor.email}>` : (event.userId ?? "—")}
        </Item>
        <Item term="Source">
          {event.source === "api"
            ? "REST API (API key)"
            : event.source === "system"
              ? "Keyward (notify job or leak report)"
              : "Console"}
        </Item>
        <Item term="IP address">{event.ip ?? "—"}</Item>
        <Item term="User agent">{event.userAgent ?? "—"}</Item>
        {event.apiKeyId && (
          <Item term="API key ID">
            <span className="flex flex-wrap items-center gap-3">
              <code>{event.apiKeyId}</code>
              <CopyButton value={event.apiKeyId} label="Copy" />
              {keyLink && (
                <Link
                  href={`/admin/api-keys?search=${encodeURIComponent(event.apiKeyId)}`}
                  className="font-medium text-blue-800 underline underline-offset-2"
                >
                  Find in API keys
                </Link>
              )}
            </span>
          </Item>
        )}
      </dl>
      {change ? (
        <div className="grid gap-3 md:grid-cols-2">
          <div className="grid gap-1">
            <h3 className="font-medium text-slate-900">Before</h3>
            <Json value={change.before} />
          </div>
          <div className="grid gap-1">
            <h3 className="font-medium text-slate-900">After</h3>
            <Json value={change.after} />
          </div>
        </div>
      ) : (
        <div className="grid gap-1">
          <h3 className="font-medium text-slate-900">Data</h3>
          <Json value={event.data} />
        </div>
      )}
    </section>
  );
}
