"use client";

import { useMemo, useState, useTransition, type ReactNode } from "react";
import Link from "next/link";
import { Pencil, Trash2 } from "lucide-react";
import type { ColumnDef } from "@tanstack/react-table";
import { deleteAllKeysAction, deleteKeyAction } from "@/app/(console)/profile/api-keys/actions";
import { DataTable } from "@/components/data-table/data-table";
import { TableToolbar } from "@/components/data-table/toolbar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "@/components/ui/menu";
import { toast } from "@/components/ui/toaster";
import type { ApiKeyView } from "@/lib/api-keys/dto";
import { expiresSoon, formatKeyTime } from "./format";
import { KeyStatusBadge } from "./key-status-badge";
import { RenameKeyDialog, type RenameTarget } from "./rename-key-dialog";

export interface ProfileKeysTableProps {
  keys: ApiKeyView[];
  /** When the page was rendered, so "Expires soon" reads the same on server and client. */
  now: string;
  /** Left side of the toolbar, e.g. how many active keys are used. */
  summary?: ReactNode;
}

function keyColumns(
  now: string,
  onRename: (key: ApiKeyView) => void,
  onDelete: (key: ApiKeyView) => void,
): ColumnDef<ApiKeyView, unknown>[] {
  return [
    {
      id: "description",
      header: "Name",
      cell: ({ row }) => (
        <Link
          href={`/profile/api-keys/${row.original.id}`}
          className="font-medium break-words text-blue-800 underline-offset-2 hover:underline"
        >
          {row.original.description}
        </Link>
      ),
    },
    {
      id: "id",
      header: "Key ID",
      cell: ({ row }) => (
        <div className="grid gap-0.5">
          <code className="font-mono text-xs text-slate-800">{row.original.id}</code>
          <span className="font-mono text-xs text-slate-600">
            <span className="sr-only">Token ends with </span>
            {row.original.hint}
          </span>
        </div>
      ),
    },
    {
      id: "created",
      header: "Created",
      cell: ({ row }) => (
        <time dateTime={row.original.createdAt}>{formatKeyTime(row.original.createdAt)}</time>
      ),
    },
    {
      id: "expires",
      header: "Expires",
      cell: ({ row }) => (
        <div className="flex flex-col items-start gap-1">
          <time dateTime={row.original.expiresAt}>{formatKeyTime(row.original.expiresAt)}</time>
          {row.original.status === "active" && expiresSoon(row.original.expiresAt, now) && (
            <Badge tone="amber">Expires soon</Badge>
          )}
        </div>
      ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row }) =>
        row.original.lastUsedAt ? (
          <time dateTime={row.original.lastUsedAt}>{formatKeyTime(row.original.lastUsedAt)}</time>
        ) : (
          <span className="text-slate-600">Never</span>
        ),
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) => (
        <KeyStatusBadge status={row.original.status} inactiveReason={row.original.inactiveReason} />
      ),
    },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { className: "w-12 text-right", headerClassName: "w-12" },
      cell: ({ row }) => (
        <Menu>
          <MenuTrigger label={`More actions for ${row.original.description}`} />
          <MenuContent>
            <MenuItem onSelect={() => onRename(row.original)}>
              <Pencil aria-hidden="true" />
              Rename
            </MenuItem>
            <MenuItem tone="danger" onSelect={() => onDelete(row.original)}>
              <Trash2 aria-hidden="true" />
              Delete
            </MenuItem>
          </MenuContent>
        </Menu>
      ),
    },
  ];
}

/** The caller's own keys with `Rename`, `Delete` and `Delete all`. */
export function ProfileKeysTable({ keys, now, summary }: ProfileKeysTableProps) {
  const [renaming, setRenaming] = useState<RenameTarget | null>(null);
  const [deleting, setDeleting] = useState<ApiKeyView | null>(null);
  const [deletingAll, setDeletingAll] = useState(false);
  const [pending, startTransition] = useTransition();

  const columns = useMemo(
    () =>
      keyColumns(
        now,
        (key) => setRenaming({ id: key.id, description: key.description }),
        (key) => setDeleting(key),
      ),
    [now],
  );

  function confirmDelete() {
    if (!deleting) return;
    const key = deleting;
    startTransition(async () => {
      const result = await deleteKeyAction(key.id);
      if (result.ok) toast.success(`API key "${key.description}" deleted.`);
      else toast.error(result.error);
      setDeleting(null);
    });
  }

  function confirmDeleteAll() {
    startTransition(async () => {
      const result = await deleteAllKeysAction();
      if (result.ok) {
        const { deleted } = result.data;
        toast.success(`Deleted ${deleted} API key${deleted === 1 ? "" : "s"}.`);
      } else toast.error(result.error);
      setDeletingAll(false);
    });
  }

  return (
    <section aria-label="Your API keys">
      <TableToolbar
        actions={
          <Button
            variant="secondary"
            disabled={keys.length === 0}
            onClick={() => setDeletingAll(true)}
          >
            <Trash2 aria-hidden="true" />
            Delete all
          </Button>
        }
      >
        {summary}
      </TableToolbar>
      <DataTable
        caption="Your API keys"
        columns={columns}
        data={keys}
        getRowId={(key) => key.id}
        emptyState={
          <EmptyState
            title="No API keys yet"
            description="Keys you generate appear here. Each one is shown in full only once, when it is generated."
            headingLevel={3}
            className="border-0"
          />
        }
      />
      {renaming && (
        <RenameKeyDialog key={renaming.id} target={renaming} onClose={() => setRenaming(null)} />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) setDeleting(null);
        }}
        title="Delete API key?"
        description={
          deleting ? (
            <>
              <span className="font-medium text-slate-900">{deleting.description}</span> (
              <code className="font-mono text-xs">{deleting.id}</code>) will be deleted. Deletion is
              permanent and cannot be undone: programs using this key are refused from their next
              call.
            </>
          ) : null
        }
        confirmLabel="Delete"
        tone="danger"
        pending={pending}
        onConfirm={confirmDelete}
      />
      <ConfirmDialog
        open={deletingAll}
        onOpenChange={setDeletingAll}
        title="Delete all your API keys?"
        description={`All ${keys.length} of your API keys will be deleted. Deletion is permanent and cannot be undone: programs using any of them are refused from their next call.`}
        confirmLabel="Delete all"
        tone="danger"
        pending={pending}
        onConfirm={confirmDeleteAll}
      />
    </section>
  );
}
