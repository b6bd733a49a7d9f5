"use client";

import { useMemo } from "react";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { AuditEventView } from "@/lib/audit/query";
import { EventDetails } from "./event-details";
import { Time } from "@/components/ui/time";

/** The tenant's events; each row expands to its details. */
export function EventsTable({
  events,
  filtered,
  keyLinks = true,
}: {
  events: AuditEventView[];
  filtered: boolean;
  /** Links from an event's key ID to the administration's key list; off on a key's own page. */
  keyLinks?: boolean;
}) {
  const columns = useMemo<ColumnDef<AuditEventView, unknown>[]>(
    () => [
      {
        id: "eventTime",
        header: "Time",
        cell: ({ row }) => <Time iso={row.original.eventTime} variant="stacked" />,
      },
      {
        id: "eventType",
        header: "Event",
        cell: ({ row }) => <code className="text-slate-900">{row.original.eventType}</code>,
      },
      {
        id: "actor",
        header: "Actor",
        cell: ({ row }) => {
          const actor = row.original.actor;
          return actor ? (
            <>
              <span className="block">{actor.name}</span>
              <span className="block text-xs text-slate-600">{actor.email}</span>
            </>
          ) : (
            (row.original.userId ?? "—")
          );
        },
      },
      {
        id: "apiKeyId",
        header: "API key ID",
        cell: ({ row }) =>
          row.original.apiKeyId ? <code className="text-xs">{row.original.apiKeyId}</code> : "—",
      },
      {
        id: "source",
        header: "Source",
        cell: ({ row }) =>
          row.original.source === "api"
            ? "REST API"
            : row.original.source === "system"
              ? "Keyward"
              : "Console",
      },
    ],
    [],
  );
  return (
    <DataTable
      caption="Audit events"
      columns={columns}
      data={events}
      getRowId={(event) => event.id}
      renderExpanded={(event) => <EventDetails event={event} keyLink={keyLinks} />}
      emptyState={
        <EmptyState
          headingLevel={3}
          title={filtered ? "No events match these filters" : "No events yet"}
          description={
            filtered
              ? "Change or clear the filters to see more."
              : "Changes to keys and settings appear here as they happen."
          }
        />
      }
    />
  );
}
