"use client";

import { useId, useMemo, useState, useTransition } from "react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ColumnDef, RowSelectionState, SortingState } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput, TableToolbar } from "@/components/data-table/toolbar";
import { KeyStatusBadge } from "@/components/api-keys/key-status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "@/components/ui/menu";
import { toast } from "@/components/ui/toaster";
import type { AdminKeyPage } from "@/lib/api-keys/admin-search";
import type { ApiKeyView } from "@/lib/api-keys/dto";
import type { ActionResult } from "@/lib/actions/result";
import { Time } from "@/components/ui/time";
import { hrefWith } from "./format";

const fmt = new Intl.NumberFormat("en-US");

export function AdminApiKeysTable({
  page,
  pageNumber,
  search,
  status,
  sort,
  revoke,
  unusual,
}: {
  page: AdminKeyPage | null;
  /** Keys whose last hour is far above their usual rate (lib/usage/stats). */
  unusual: string[];
  pageNumber: number;
  search: string;
  status: string;
  sort: string;
  revoke: (ids: string[]) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const statusId = useId();
  const [navigating, startNavigation] = useTransition();
  const [revoking, startRevoke] = useTransition();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [confirming, setConfirming] = useState<ApiKeyView[] | null>(null);
  const keys = useMemo(() => page?.keys ?? [], [page]);
  const unusualSet = useMemo(() => new Set(unusual), [unusual]);

  function go(params: { search?: string; status?: string; sort?: string }) {
    const next = { search, status, sort, ...params };
    setSelection({});
    startNavigation(() =>
      router.push(
        hrefWith(pathname, {
          search: next.search,
          status: next.status,
          sort: next.sort === "-created" ? undefined : next.sort,
        }),
      ),
    );
  }

  const sorting: SortingState = [{ id: sort.replace(/^[+-]/, ""), desc: sort.startsWith("-") }];
  const selected = keys.filter((key) => selection[key.id] && key.status === "active");

  function confirmRevoke() {
    if (!confirming) return;
    const ids = confirming.map((key) => key.id);
    startRevoke(async () => {
      const result = await revoke(ids);
      if (result.ok) {
        toast.success(result.message ?? "Revoked.");
        setSelection({});
        setConfirming(null);
        router.refresh();
      } else {
        toast.error(result.error);
      }
    });
  }

  const columns = useMemo<ColumnDef<ApiKeyView, unknown>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        accessorFn: (key) => key.description,
        enableSorting: true,
        // Shares what the other columns leave, so that one long name never widens the table.
        meta: { card: "title", className: "md:w-[45%] md:max-w-0" },
        cell: ({ row }) => (
          <div className="grid">
            <Link
              href={`/admin/api-keys/${row.original.id}`}
              className="truncate font-medium text-blue-800 underline-offset-2 hover:underline"
              title={row.original.description}
            >
              {row.original.description}
            </Link>
            <code className="truncate text-xs text-slate-600">
              <span className="sr-only">Key ID </span>
              {row.original.id}
            </code>
          </div>
        ),
      },
      {
        id: "owner",
        header: "Owner",
        accessorFn: (key) => key.ownerName,
        enableSorting: true,
        meta: { className: "md:w-[25%] md:max-w-0" },
        cell: ({ row }) => (
          <div className="grid">
            <span className="truncate" title={row.original.ownerName}>
              {row.original.ownerName}
            </span>
            <span className="truncate text-xs text-slate-600" title={row.original.ownerEmail}>
              {row.original.ownerEmail}
            </span>
          </div>
        ),
      },
      {
        id: "created",
        header: "Created",
        accessorFn: (key) => key.createdAt,
        enableSorting: true,
        cell: ({ row }) => {
          const { createdAt, updatedAt } = row.original;
          return (
            <>
              <Time variant="stacked" iso={createdAt} />
              {updatedAt.slice(0, 16) !== createdAt.slice(0, 16) && (
                <span className="block text-xs whitespace-nowrap text-slate-600">
                  Updated <Time iso={updatedAt} variant="relative" />
                </span>
              )}
            </>
          );
        },
      },
      {
        id: "expires",
        header: "Expires",
        accessorFn: (key) => key.expiresAt,
        enableSorting: true,
        cell: ({ row }) => <Time variant="stacked" iso={row.original.expiresAt} />,
      },
      {
        id: "lastUsed",
        header: "Last used",
        accessorFn: (key) => key.lastUsedAt,
        enableSorting: true,
        cell: ({ row }) => <Time variant="stacked" iso={row.original.lastUsedAt} />,
      },
      {
        id: "status",
        header: "Status",
        accessorFn: (key) => key.status,
        enableSorting: true,
        cell: ({ row }) => {
          return (
            <div className="flex flex-wrap items-center gap-1">
              <KeyStatusBadge
                status={row.original.status}
                inactiveReason={row.original.inactiveReason}
              />
              {unusualSet.has(row.original.id) ? (
                <a
                  href={`/admin/events?key=${row.original.id}`}
                  className="rounded focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
                  title="Requests in the last hour are far above this key's usual rate. Show its events."
                >
                  <StatusBadge status="unusual" />
                </a>
              ) : null}
            </div>
          );
        },
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        meta: { card: "actions", className: "w-12 pl-0" },
        cell: ({ row }) =>
          row.original.status === "active" ? (
            <Menu>
              <MenuTrigger label={`More actions for ${row.original.description}`} />
              <MenuContent>
                <MenuItem tone="danger" onSelect={() => setConfirming([row.original])}>
                  Revoke
                </MenuItem>
              </MenuContent>
            </Menu>
          ) : null,
      },
    ],
    [unusualSet],
  );

  const start = (pageNumber - 1) * 25 + 1;
  return (
    <div className="grid gap-2">
      <TableToolbar
        actions={
          <>
            {selected.length > 0 && (
              <span className="text-sm text-slate-600">{selected.length} selected</span>
            )}
            <Button
              variant="danger"
              size="sm"
              disabled={selected.length === 0}
              onClick={() => setConfirming(selected)}
            >
              Revoke
            </Button>
          </>
        }
      >
        <SearchInput
          key={search}
          defaultValue={search}
          placeholder="Key ID, name, owner name or email"
          onSearch={(value) => go({ search: value.trim() })}
          className="max-w-sm"
        />
        <div className="flex items-center gap-2">
          <label htmlFor={statusId} className="text-sm font-medium text-slate-900">
            Status
          </label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => go({ status: e.target.value })}
            className={cn(
              "h-9 cursor-pointer rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm",
              focusRing,
            )}
          >
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </select>
        </div>
      </TableToolbar>
      {page && (
        <p className="text-sm text-slate-600">
          {page.totalCapped
            ? `At least ${fmt.format(page.total)} keys match.`
            : `${fmt.format(page.total)} key${page.total === 1 ? "" : "s"} match.`}
        </p>
      )}
      <DataTable
        caption="API keys of the tenant"
        cardsOnPhone
        columns={columns}
        data={keys}
        getRowId={(key) => key.id}
        getRowLabel={(key) => key.description}
        enableRowSelection={(key) => key.status === "active"}
        rowSelection={selection}
        onRowSelectionChange={setSelection}
        sorting={sorting}
        onSortingChange={(updater) => {
          const next = typeof updater === "function" ? updater(sorting) : updater;
          const column = next[0];
          go({ sort: column ? `${column.desc ? "-" : ""}${column.id}` : "-created" });
        }}
        loading={navigating}
        emptyState={
          search || status ? (
            <EmptyState
              headingLevel={3}
              className="border-0"
              title="No API keys match"
              description="Change or clear the search and the status filter to see more."
            />
          ) : (
            <EmptyState
              headingLevel={3}
              className="border-0"
              title="No API keys yet"
              description={
                <>
                  Keys your tenant&apos;s developers generate appear here.{" "}
                  <Link href="/profile/api-keys" className="text-blue-700 underline">
                    Generate one
                  </Link>
                  .
                </>
              }
            />
          )
        }
      />
      {page && (
        <Pagination
          start={start}
          end={keys.length === 0 ? 0 : start + keys.length - 1}
          total={page.totalCapped ? undefined : page.total}
          previousHref={
            page.previousCursor
              ? hrefWith(pathname, {
                  search,
                  status,
                  sort: sort === "-created" ? undefined : sort,
                  before: pageNumber > 2 ? page.previousCursor : undefined,
                  page: pageNumber > 2 ? pageNumber - 1 : undefined,
                })
              : null
          }
          nextHref={
            page.nextCursor
              ? hrefWith(pathname, {
                  search,
                  status,
                  sort: sort === "-created" ? undefined : sort,
                  after: page.nextCursor,
                  page: pageNumber + 1,
                })
              : null
          }
          disabled={navigating}
        />
      )}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
        title={
          confirming && confirming.length === 1
            ? `Revoke "${confirming[0].description}"?`
            : `Revoke ${confirming?.length ?? 0} API keys?`
        }
        description="Revocation is immediate and irreversible: programs using these keys are refused on their next request, and the keys cannot be made active again."
        confirmLabel="Revoke"
        tone="danger"
        pending={revoking}
        onConfirm={confirmRevoke}
      />
    </div>
  );
}
