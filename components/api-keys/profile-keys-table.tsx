"use client";

import { useMemo, useState, useTransition, type ReactNode } from "react";
import Link from "next/link";
import { Pencil, RefreshCw, Trash2 } from "lucide-react";
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { TableToolbar } from "@/components/data-table/toolbar";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "@/components/ui/menu";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";
import type { ApiKeyView } from "@/lib/api-keys/dto";
import { Time } from "@/components/ui/time";
import { expiresSoon } from "./format";
import { KeyStatusBadge } from "./key-status-badge";
import {
  RegenerateKeyDialog,
  type RegenerateKey,
  type RegenerateTarget,
} from "./regenerate-key-dialog";
import { RenameKeyDialog, type RenameKey, type RenameTarget } from "./rename-key-dialog";

export interface ProfileKeysTableProps {
  keys: ApiKeyView[];
  /** When the page was rendered, so "Expires soon" reads the same on server and client. */
  now: string;
  /** Left side of the toolbar, e.g. how many active keys are used. */
  summary?: ReactNode;
  /** The page's actions behind each key's menu and `Delete all`. */
  regenerate: RegenerateKey;
  rename: RenameKey;
  remove: (id: string) => Promise<ActionResult<unknown>>;
  removeAll: () => Promise<ActionResult<{ deleted: number }>>;
}

/** The order the keys arrive in (lib/api-keys/service.ts), shown on the Created header. */
const NEWEST_FIRST: SortingState = [{ id: "created", desc: true }];

function keyColumns(
  now: string,
  onRename: (key: ApiKeyView) => void,
  onDelete: (key: ApiKeyView) => void,
  onRegenerate: (key: ApiKeyView) => void,
): ColumnDef<ApiKeyView, unknown>[] {
  return [
    {
      id: "name",
      header: "Name",
      accessorFn: (key) => key.description,
      enableSorting: true,
      // Takes what the other columns leave, so that one long name never widens the table.
      meta: { card: "title", className: "md:w-[45%] md:max-w-0" },
      cell: ({ row }) => (
        <Link
          href={`/profile/api-keys/${row.original.id}`}
          className="block truncate font-medium text-blue-800 underline-offset-2 hover:underline"
          title={row.original.description}
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
      accessorFn: (key) => key.createdAt,
      enableSorting: true,
      cell: ({ row }) => <Time variant="stacked" iso={row.original.createdAt} />,
    },
    {
      id: "expires",
      header: "Expires",
      accessorFn: (key) => key.expiresAt,
      enableSorting: true,
      cell: ({ row }) => (
        <div className="flex flex-col items-start gap-1">
          <Time variant="stacked" iso={row.original.expiresAt} />
          {row.original.status === "active" && expiresSoon(row.original.expiresAt, now) && (
            <StatusBadge status="expires-soon" />
          )}
        </div>
      ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      // Never used sorts first, as on the admin page.
      accessorFn: (key) => key.lastUsedAt ?? "",
      enableSorting: true,
      cell: ({ row }) =>
        row.original.lastUsedAt ? (
          <Time variant="stacked" iso={row.original.lastUsedAt} />
        ) : (
          <span className="text-slate-600">Never</span>
        ),
    },
    {
      id: "status",
      header: "Status",
      accessorFn: (key) => key.status,
      enableSorting: true,
      cell: ({ row }) => (
        <KeyStatusBadge status={row.original.status} inactiveReason={row.original.inactiveReason} />
      ),
    },
    {
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { card: "actions", className: "w-12 text-right", headerClassName: "w-12" },
      cell: ({ row }) => (
        <Menu>
          <MenuTrigger label={`More actions for ${row.original.description}`} />
          <MenuContent>
            <MenuItem onSelect={() => onRename(row.original)}>
              <Pencil aria-hidden="true" />
              Rename
            </MenuItem>
            {row.original.status === "active" && (
              <MenuItem onSelect={() => onRegenerate(row.original)}>
                <RefreshCw aria-hidden="true" />
                Regenerate
              </MenuItem>
            )}
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

/** The caller's own keys with `Rename`, `Regenerate`, `Delete` and `Delete all`. */
export function ProfileKeysTable({
  keys,
  now,
  summary,
  regenerate,
  rename,
  remove,
  removeAll,
}: ProfileKeysTableProps) {
  const [renaming, setRenaming] = useState<RenameTarget | null>(null);
  const [regenerating, setRegenerating] = useState<RegenerateTarget | null>(null);
  const [deleting, setDeleting] = useState<ApiKeyView | null>(null);
  const [deletingAll, setDeletingAll] = useState(false);
  const [pending, startTransition] = useTransition();

  // The first render's time: a refresh after an action keeps the same columns, so that the rows'
  // cells are not made anew (focus stays on a row's More button when its dialog closes).
  const [renderedAt] = useState(now);
  const columns = useMemo(
    () =>
      keyColumns(
        renderedAt,
        (key) => setRenaming({ id: key.id, description: key.description }),
        (key) => setDeleting(key),
        (key) => setRegenerating({ id: key.id, description: key.description }),
      ),
    [renderedAt],
  );

  function confirmDelete() {
    if (!deleting) return;
    const key = deleting;
    startTransition(async () => {
      const result = await remove(key.id);
      if (result.ok) toast.success(`API key "${key.description}" deleted.`);
      else toast.error(result.error);
      setDeleting(null);
    });
  }

  function confirmDeleteAll() {
    startTransition(async () => {
      const result = await removeAll();
      if (result.ok) {
        const { deleted } = result.data;
        toast.success(`Deleted ${deleted} API key${deleted === 1 ? "" : "s"}.`);
      } else toast.error(result.error);
      setDeletingAll(false);
    });
  }

  return (
    <div className="min-w-0">
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
        cardsOnPhone
        columns={columns}
        data={keys}
        getRowId={(key) => key.id}
        initialSorting={NEWEST_FIRST}
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
        <RenameKeyDialog
          key={renaming.id}
          target={renaming}
          rename={rename}
          onClose={() => setRenaming(null)}
        />
      )}
      {regenerating && (
        <RegenerateKeyDialog
          key={regenerating.id}
          target={regenerating}
          regenerate={regenerate}
          onClose={() => setRegenerating(null)}
        />
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
    </div>
  );
}
