import type { ReactNode } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { cn, focusRing } from "@/components/ui/cn";

export type HeaderCellProps = {
  children: ReactNode;
  colSpan: number;
  className?: string;
  sortable: boolean;
  sorted: false | "asc" | "desc";
  onSort?: (event: unknown) => void;
};

/** A `<th>`; sortable columns get a button plus `aria-sort`. All state arrives as props. */
export function HeaderCell({
  children,
  colSpan,
  className,
  sortable,
  sorted,
  onSort,
}: HeaderCellProps) {
  const base = cn(
    "px-4 py-2.5 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase",
    className,
  );
  if (!sortable) {
    return (
      <th scope="col" colSpan={colSpan} className={base}>
        {children}
      </th>
    );
  }
  const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <th
      scope="col"
      colSpan={colSpan}
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
      className={base}
    >
      <button
        type="button"
        onClick={onSort}
        className={cn(
          "-mx-1.5 inline-flex cursor-pointer items-center gap-1 rounded px-1.5 py-0.5 uppercase hover:bg-slate-200/60 hover:text-slate-900",
          sorted && "text-slate-900",
          focusRing,
        )}
      >
        {children}
        <Icon aria-hidden="true" className={cn("size-3.5", !sorted && "text-slate-400")} />
      </button>
    </th>
  );
}
