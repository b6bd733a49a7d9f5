"use client";

import { useSyncExternalStore } from "react";
import { cn } from "./cn";
import { localText, relativeText, shortLocalText, utcText } from "./time-format";

const subscribeNever = () => () => {};

/**
 * True once in the browser. The server and the hydrating render see false, so both print the
 * same UTC text; the viewer's zone is only known afterwards.
 */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

export type TimeProps = {
  iso: string | null;
  /**
   * `inline`: "Nov 30, 2026, 2:08 PM (3 hours ago)". `stacked`: how long ago over the local date
   * and clock, for narrow table columns. `relative`: "3 hours ago" alone.
   */
  variant?: "inline" | "stacked" | "relative";
  /** What an absent time means, e.g. "Never" for a key not used yet. */
  fallback?: string;
  className?: string;
};

/** A time in the viewer's zone and relative to now, with the exact UTC time on hover. */
export function Time({ iso, variant = "inline", fallback = "Never", className }: TimeProps) {
  const inBrowser = useInBrowser();
  if (!iso) return <span className={cn("text-slate-600", className)}>{fallback}</span>;
  const utc = utcText(iso);
  const now = new Date();
  if (variant === "stacked") {
    return (
      <time dateTime={iso} title={utc} className={cn("grid whitespace-nowrap", className)}>
        <span>{inBrowser ? relativeText(iso, now) : utc.slice(0, 10)}</span>
        <span className="text-xs text-slate-600">
          {inBrowser ? shortLocalText(iso, now) : utc.slice(11, 16) + " UTC"}
        </span>
      </time>
    );
  }
  return (
    <time dateTime={iso} title={utc} className={className}>
      {!inBrowser
        ? variant === "relative"
          ? utc.slice(0, 10)
          : `${utc.slice(0, 16)} UTC`
        : variant === "relative"
          ? relativeText(iso, now)
          : `${localText(iso)} (${relativeText(iso, now)})`}
    </time>
  );
}
