"use client";

import { useId, type ReactNode } from "react";
import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button, buttonClasses } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";

export type PaginationProps = {
  /** 1-based index of the first row shown (ignored when `end` is 0). */
  start: number;
  /** 1-based index of the last row shown; 0 when the page is empty. */
  end: number;
  /** Total row count, when known. */
  total?: number;
  /** Link mode: hrefs for the neighbouring pages (null/undefined = no such page). */
  previousHref?: string | null;
  nextHref?: string | null;
  /** Callback mode (used when the matching href is absent). */
  onPrevious?: () => void;
  onNext?: () => void;
  /** Callback mode: whether neighbouring pages exist (default: callback present). */
  hasPrevious?: boolean;
  hasNext?: boolean;
  /** Page-size select; shown only when onPageSizeChange is given. */
  pageSize?: number;
  pageSizeOptions?: number[];
  onPageSizeChange?: (size: number) => void;
  /** Disables the controls (e.g. while a page is loading). */
  disabled?: boolean;
  className?: string;
};

const fmt = new Intl.NumberFormat("en-US");

export function Pagination({
  start,
  end,
  total,
  previousHref,
  nextHref,
  onPrevious,
  onNext,
  hasPrevious,
  hasNext,
  pageSize,
  pageSizeOptions = [10, 25, 50, 100],
  onPageSizeChange,
  disabled = false,
  className,
}: PaginationProps) {
  const selectId = useId();
  const summary =
    end <= 0
      ? total === undefined
        ? "No rows"
        : `Showing 0 of ${fmt.format(total)}`
      : `Showing ${fmt.format(start)}–${fmt.format(end)}${total === undefined ? "" : ` of ${fmt.format(total)}`}`;
  const sizes =
    pageSize !== undefined && !pageSizeOptions.includes(pageSize)
      ? [...pageSizeOptions, pageSize].sort((a, b) => a - b)
      : pageSizeOptions;

  return (
    <nav
      aria-label="Pagination"
      className={cn(
        "flex flex-wrap items-center justify-between gap-3 py-3 text-sm text-slate-600",
        className,
      )}
    >
      <p aria-live="polite">{summary}</p>
      <div className="flex flex-wrap items-center gap-4">
        {onPageSizeChange && (
          <div className="flex items-center gap-2">
            <label htmlFor={selectId} className="whitespace-nowrap">
              Rows per page
            </label>
            <select
              id={selectId}
              value={pageSize}
              disabled={disabled}
              onChange={(e) => onPageSizeChange(Number(e.target.value))}
              className={cn(
                "h-8 cursor-pointer rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm disabled:opacity-50",
                focusRing,
              )}
            >
              {sizes.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="flex items-center gap-2">
          <PageControl
            href={previousHref}
            onClick={onPrevious}
            enabled={hasPrevious}
            disabled={disabled}
            rel="prev"
          >
            <ChevronLeft aria-hidden="true" />
            Previous
          </PageControl>
          <PageControl
            href={nextHref}
            onClick={onNext}
            enabled={hasNext}
            disabled={disabled}
            rel="next"
          >
            Next
            <ChevronRight aria-hidden="true" />
          </PageControl>
        </div>
      </div>
    </nav>
  );
}

function PageControl({
  href,
  onClick,
  enabled,
  disabled,
  rel,
  children,
}: {
  href?: string | null;
  onClick?: () => void;
  enabled?: boolean;
  disabled: boolean;
  rel: "prev" | "next";
  children: ReactNode;
}) {
  const classes = buttonClasses({ variant: "secondary", size: "sm" });
  if (href && !disabled) {
    return (
      <Link href={href} rel={rel} className={classes}>
        {children}
      </Link>
    );
  }
  const canClick = !!onClick && (enabled ?? true) && !disabled;
  return (
    <Button variant="secondary" size="sm" disabled={!canClick} onClick={onClick}>
      {children}
    </Button>
  );
}
