"use client";

import type { ColumnDef, RowData } from "@tanstack/react-table";
import { ChevronRight } from "lucide-react";
import { Checkbox } from "@/components/ui/checkbox";
import { cn, focusRing } from "@/components/ui/cn";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Extra classes for this column's `<td>`s. */
    className?: string;
    /** Extra classes for this column's `<th>`. */
    headerClassName?: string;
    /**
     * Place on a phone, where each row is a card: `title` spans the card's first line, `actions`
     * sits in its top-right corner; other columns show their header as a label above the value.
     */
    card?: "title" | "actions";
  }
  interface TableMeta<TData extends RowData> {
    /** Human name of a row, used by the selection checkbox ("Select row <name>"). */
    getRowLabel?: (row: TData) => string;
  }
}

/**
 * Widens a column whose value type was inferred (e.g. via `createColumnHelper().accessor`)
 * so it fits `DataTable`'s `columns: ColumnDef<TData, unknown>[]`.
 */
export function column<TData extends RowData, TValue>(
  def: ColumnDef<TData, TValue>,
): ColumnDef<TData, unknown> {
  return def as ColumnDef<TData, unknown>;
}

/** Widens a list of columns (see {@link column}). */
export function columns<TData extends RowData>(
  ...defs: ColumnDef<TData, never>[]
): ColumnDef<TData, unknown>[] {
  return defs as ColumnDef<TData, unknown>[];
}

export const SELECT_COLUMN_ID = "__select";
export const EXPAND_COLUMN_ID = "__expand";

/** On a phone the checkbox or the expand button sits left of the card's first line. */
const CARD_CORNER = "cards:absolute cards:top-3 cards:left-3";

export function selectionColumn<TData>(): ColumnDef<TData, unknown> {
  return {
    id: SELECT_COLUMN_ID,
    enableSorting: false,
    meta: { className: cn("w-10 pr-0", CARD_CORNER), headerClassName: "w-10 pr-0" },
    header: ({ table }) => {
      const selectable = table.getRowModel().rows.some((row) => row.getCanSelect());
      return (
        <Checkbox
          aria-label="Select all rows on this page"
          disabled={!selectable}
          checked={
            table.getIsAllPageRowsSelected()
              ? true
              : table.getIsSomePageRowsSelected()
                ? "indeterminate"
                : false
          }
          onCheckedChange={(value) => table.toggleAllPageRowsSelected(value === true)}
        />
      );
    },
    cell: ({ row, table }) => (
      <Checkbox
        aria-label={`Select row ${table.options.meta?.getRowLabel?.(row.original) ?? row.id}`}
        disabled={!row.getCanSelect()}
        checked={row.getIsSelected()}
        onCheckedChange={(value) => row.toggleSelected(value === true)}
      />
    ),
  };
}

export function expandColumn<TData>(
  getPanelId: (rowId: string) => string,
): ColumnDef<TData, unknown> {
  return {
    id: EXPAND_COLUMN_ID,
    enableSorting: false,
    meta: { className: cn("w-10 pr-0", CARD_CORNER), headerClassName: "w-10 pr-0" },
    header: () => <span className="sr-only">Details</span>,
    cell: ({ row }) => {
      if (!row.getCanExpand()) return null;
      const expanded = row.getIsExpanded();
      return (
        <button
          type="button"
          aria-label={expanded ? "Collapse" : "Expand"}
          aria-expanded={expanded}
          aria-controls={expanded ? getPanelId(row.id) : undefined}
          onClick={row.getToggleExpandedHandler()}
          className={cn(
            "inline-flex size-7 cursor-pointer items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900",
            focusRing,
          )}
        >
          <ChevronRight
            aria-hidden="true"
            className={cn("size-4 transition-transform", expanded && "rotate-90")}
          />
        </button>
      );
    },
  };
}
