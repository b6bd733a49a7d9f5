"use client";

import { Fragment, useId, useMemo, useState, type ReactNode } from "react";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ExpandedState,
  type OnChangeFn,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";
import { expandColumn, selectionColumn } from "./columns";
import { HeaderCell } from "./header-cell";

export type DataTableProps<TData> = {
  /** Columns. Sorting is opt-in per column: set `enableSorting: true` on server-sortable ones. */
  columns: ColumnDef<TData, unknown>[];
  data: TData[];
  getRowId: (row: TData, index: number) => string;
  /** Visually hidden caption; also names the scroll region. */
  caption: string;
  /** Human name of a row, used in "Select row <name>". */
  getRowLabel?: (row: TData) => string;
  enableRowSelection?: boolean | ((row: TData) => boolean);
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
  /** Server-side (manual) sorting; sorting UI is enabled only when onSortingChange is set. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  emptyState?: ReactNode;
  loading?: boolean;
  renderExpanded?: (row: TData) => ReactNode;
  getRowCanExpand?: (row: TData) => boolean;
  className?: string;
};

export function DataTable<TData>({
  columns,
  data,
  getRowId,
  caption,
  getRowLabel,
  enableRowSelection = false,
  rowSelection,
  onRowSelectionChange,
  sorting,
  onSortingChange,
  emptyState,
  loading = false,
  renderExpanded,
  getRowCanExpand,
  className,
}: DataTableProps<TData>) {
  const panelPrefix = useId();
  const [innerSelection, setInnerSelection] = useState<RowSelectionState>({});
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const selectionOn = enableRowSelection !== false;
  const expandOn = renderExpanded !== undefined;

  const allColumns = useMemo(() => {
    const extra: ColumnDef<TData, unknown>[] = [];
    if (selectionOn) extra.push(selectionColumn<TData>());
    if (expandOn) extra.push(expandColumn<TData>((id) => `${panelPrefix}-${id}`));
    return [...extra, ...columns];
  }, [columns, selectionOn, expandOn, panelPrefix]);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not compiler-memoizable.
  const table = useReactTable<TData>({
    data,
    columns: allColumns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    meta: { getRowLabel },
    state: {
      rowSelection: rowSelection ?? innerSelection,
      sorting: sorting ?? [],
      expanded,
    },
    enableRowSelection:
      typeof enableRowSelection === "function"
        ? (row) => enableRowSelection(row.original)
        : enableRowSelection,
    onRowSelectionChange: onRowSelectionChange ?? setInnerSelection,
    manualSorting: true,
    enableSorting: onSortingChange !== undefined,
    enableMultiSort: false,
    defaultColumn: { enableSorting: false },
    onSortingChange,
    onExpandedChange: setExpanded,
    getRowCanExpand: (row) => expandOn && (getRowCanExpand ? getRowCanExpand(row.original) : true),
  });

  const rows = table.getRowModel().rows;
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className={cn(
        "relative w-full overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm",
        "outline-none focus-visible:ring-2 focus-visible:ring-slate-900",
        className,
      )}
    >
      <table aria-busy={loading || undefined} className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <HeaderCell
                  key={header.id}
                  colSpan={header.colSpan}
                  className={header.column.columnDef.meta?.headerClassName}
                  sortable={header.column.getCanSort()}
                  sorted={header.column.getIsSorted()}
                  onSort={header.column.getToggleSortingHandler()}
                >
                  {header.isPlaceholder
                    ? null
                    : flexRender(header.column.columnDef.header, header.getContext())}
                </HeaderCell>
              ))}
            </tr>
          ))}
        </thead>
        <tbody
          className={cn(
            "divide-y divide-slate-100",
            loading && rows.length > 0 && "opacity-50 transition-opacity",
          )}
        >
          {rows.length === 0 ? (
            <tr>
              <td
                colSpan={columnCount}
                className={cn(
                  "text-center text-slate-600",
                  emptyState && !loading ? "p-4" : "px-4 py-10",
                )}
              >
                {loading ? (
                  <Spinner label="Loading" size="md" className="text-slate-500" />
                ) : (
                  (emptyState ?? "No results.")
                )}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <Fragment key={row.id}>
                <tr
                  data-state={row.getIsSelected() ? "selected" : undefined}
                  className="transition-colors hover:bg-slate-50 data-[state=selected]:bg-slate-100/70"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td
                      key={cell.id}
                      className={cn(
                        "px-4 py-3 align-middle text-slate-700",
                        cell.column.columnDef.meta?.className,
                      )}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
                {expandOn && row.getIsExpanded() && (
                  <tr id={`${panelPrefix}-${row.id}`} className="bg-slate-50/60">
                    <td colSpan={columnCount} className="px-4 py-4">
                      {renderExpanded(row.original)}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
