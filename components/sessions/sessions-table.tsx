"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { Time } from "@/components/ui/time";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import type { SessionView } from "@/lib/auth/sessions";

/** "Firefox on Linux" from a user agent: enough to tell one's browsers apart. */
function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser =
    [
      ["Edg/", "Edge"],
      ["Firefox/", "Firefox"],
      ["Chrome/", "Chrome"],
      ["Safari/", "Safari"],
    ].find(([token]) => userAgent.includes(token))?.[1] ?? "Unknown browser";
  const system =
    [
      ["Android", "Android"],
      ["iPhone", "iOS"],
      ["iPad", "iPadOS"],
      ["Windows", "Windows"],
      ["Mac OS X", "macOS"],
      ["Linux", "Linux"],
    ].find(([token]) => userAgent.includes(token))?.[1] ?? null;
  return system ? `${browser} on ${system}` : browser;
}

const columns: ColumnDef<SessionView, unknown>[] = [
  {
    id: "browser",
    header: "Browser",
    cell: ({ row }) => (
      <span className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900" title={row.original.userAgent ?? undefined}>
          {describeBrowser(row.original.userAgent)}
        </span>
        {row.original.current ? <StatusBadge status="current" /> : null}
      </span>
    ),
  },
  {
    id: "ip",
    header: "Address",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.ip ?? "Unknown"}</span>,
  },
  {
    id: "created",
    header: "Signed in",
    cell: ({ row }) => <Time iso={row.original.createdAt} variant="stacked" />,
  },
  {
    id: "expires",
    header: "Ends",
    cell: ({ row }) => <Time iso={row.original.expiresAt} variant="stacked" />,
  },
];

export function SessionsTable({ sessions }: { sessions: SessionView[] }) {
  return (
    <DataTable
      caption="Your sessions"
      columns={columns}
      data={sessions}
      getRowId={(session) => session.id}
      emptyState={
        <EmptyState
          headingLevel={3}
          className="border-0"
          title="No sessions"
          description="Each browser you sign in with appears here."
        />
      }
    />
  );
}
