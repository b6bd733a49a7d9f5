"use client";

import { Fragment, useId, useMemo, useState, type ReactNode } from "react";
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type Column,
  type ColumnDef,
  type ExpandedState,
  type OnChangeFn,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";
import { SELECT_COLUMN_ID, expandColumn, selectionColumn } from "./columns";
import { HeaderCell } from "./header-cell";

export type DataTableProps<TData> = {
  /**
   * Columns. Sorting is opt-in per column: `enableSorting: true` and an `accessorFn` (the value
   * it sorts by in the browser; TanStack offers no sorting without one).
   */
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
  /** Server-side (manual) sorting: the page's sort, and what a header click asks for. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  /** Sorting in the browser, of the rows at hand, starting from this order (as they come). */
  initialSorting?: SortingState;
  emptyState?: ReactNode;
  loading?: boolean;
  renderExpanded?: (row: TData) => ReactNode;
  getRowCanExpand?: (row: TData) => boolean;
  /**
   * On a phone, each row becomes a card (see ColumnMeta.card) instead of a table that scrolls
   * sideways in its box. For tables whose cells can wrap.
   */
  cardsOnPhone?: boolean;
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
  initialSorting,
  emptyState,
  loading = false,
  renderExpanded,
  getRowCanExpand,
  cardsOnPhone = false,
  className,
}: DataTableProps<TData>) {
  const panelPrefix = useId();
  const [innerSelection, setInnerSelection] = useState<RowSelectionState>({});
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [innerSorting, setInnerSorting] = useState<SortingState>(initialSorting ?? []);
  const serverSorted = onSortingChange !== undefined;
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
      sorting: serverSorted ? (sorting ?? []) : innerSorting,
      expanded,
    },
    enableRowSelection:
      typeof enableRowSelection === "function"
        ? (row) => enableRowSelection(row.original)
        : enableRowSelection,
    onRowSelectionChange: onRowSelectionChange ?? setInnerSelection,
    manualSorting: serverSorted,
    getSortedRowModel: serverSorted ? undefined : getSortedRowModel(),
    enableSorting: serverSorted || initialSorting !== undefined,
    enableMultiSort: false,
    // A header toggles between ascending (its first click) and descending; never unsorted.
    sortDescFirst: false,
    enableSortingRemoval: false,
    defaultColumn: { enableSorting: false },
    onSortingChange: onSortingChange ?? setInnerSorting,
    onExpandedChange: setExpanded,
    getRowCanExpand: (row) => expandOn && (getRowCanExpand ? getRowCanExpand(row.original) : true),
  });

  const rows = table.getRowModel().rows;
  const columnCount = table.getVisibleLeafColumns().length;
  // Above the cards, the header row only offers what a card cannot: select all and sorting.
  const keepOnCards = (column: Column<TData, unknown>) =>
    column.getCanSort() || column.id === SELECT_COLUMN_ID;
  const headerOnCards = table.getVisibleLeafColumns().some(keepOnCards);

  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      data-cards={cardsOnPhone || undefined}
      className={cn(
        "relative w-full overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm",
        "outline-none focus-visible:ring-2 focus-visible:ring-slate-900",
        className,
      )}
    >
      <table
        aria-busy={loading || undefined}
        className="w-full border-collapse text-left text-sm cards:block"
      >
        <caption className="sr-only">{caption}</caption>
        <thead
          className={cn(
            "border-b border-slate-200 bg-slate-50 cards:block",
            !headerOnCards && "cards:sr-only",
          )}
        >
          {table.getHeaderGroups().map((group) => (
            <tr
              key={group.id}
              className="cards:flex cards:flex-wrap cards:items-center cards:gap-x-4 cards:px-3 cards:py-1.5"
            >
              {group.headers.map((header) => (
                <HeaderCell
                  key={header.id}
                  colSpan={header.colSpan}
                  className={cn(
                    header.column.columnDef.meta?.headerClassName,
                    keepOnCards(header.column)
                      ? "cards:w-auto cards:px-0 cards:py-1"
                      : "cards:sr-only",
                  )}
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
            "divide-y divide-slate-100 cards:block",
            loading && rows.length > 0 && "opacity-50 transition-opacity",
          )}
        >
          {rows.length === 0 ? (
            <tr className="cards:block">
              <td
                colSpan={columnCount}
                className={cn(
                  "text-center text-slate-600 cards:block",
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
                  className={cn(
                    "transition-colors hover:bg-slate-50 data-[state=selected]:bg-slate-100/70",
                    "cards:relative cards:grid cards:grid-cols-2 cards:gap-x-4 cards:gap-y-2 cards:p-3",
                    (selectionOn || expandOn) && "cards:pl-12",
                  )}
                >
                  {row.getVisibleCells().map((cell) => (
                    <BodyCell key={cell.id} column={cell.column}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </BodyCell>
                  ))}
                </tr>
                {expandOn && row.getIsExpanded() && (
                  <tr id={`${panelPrefix}-${row.id}`} className="bg-slate-50/60 cards:block">
                    {/* Event data may hold one long unbroken word: break it, never widen the table. */}
                    <td colSpan={columnCount} className="px-4 py-4 wrap-anywhere cards:block">
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

/**
 * A `<td>`, named by its column (`data-column`). On a phone, where the row is a card, it is laid
 * out by its column's `card` place, and other cells show their column's header as a label.
 */
function BodyCell<TData>({
  column,
  children,
}: {
  column: Column<TData, unknown>;
  children: ReactNode;
}) {
  const meta = column.columnDef.meta;
  const header = column.columnDef.header;
  const label = typeof header === "string" && !meta?.card ? header : undefined;
  return (
    <td
      data-column={column.id}
      data-label={label}
      className={cn(
        "px-4 py-3 align-middle text-slate-700",
        "cards:block cards:min-w-0 cards:p-0 cards:wrap-anywhere",
        label &&
          "cards:before:block cards:before:text-xs cards:before:font-medium cards:before:text-slate-600 cards:before:content-[attr(data-label)]",
        meta?.card === "title" && "cards:col-span-2 cards:pr-10",
        meta?.card === "actions" && "cards:absolute cards:top-2 cards:right-2",
        meta?.className,
      )}
    >
      {children}
    </td>
  );
}
