import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export type BadgeTone = "green" | "gray" | "red" | "amber" | "blue";

const tones: Record<BadgeTone, { badge: string; dot: string }> = {
  green: { badge: "bg-green-50 text-green-800 ring-green-600/20", dot: "bg-green-600" },
  gray: { badge: "bg-slate-100 text-slate-700 ring-slate-500/20", dot: "bg-slate-500" },
  red: { badge: "bg-red-50 text-red-800 ring-red-600/20", dot: "bg-red-600" },
  amber: { badge: "bg-amber-50 text-amber-900 ring-amber-600/30", dot: "bg-amber-500" },
  blue: { badge: "bg-blue-50 text-blue-800 ring-blue-600/20", dot: "bg-blue-600" },
};

export type BadgeProps = Omit<ComponentProps<"span">, "children"> & {
  tone?: BadgeTone;
  /** Visible text — required so meaning is never conveyed by colour alone. */
  children: ReactNode;
  /** Show a small decorative dot before the text. */
  dot?: boolean;
};

export function Badge({ tone = "gray", dot = false, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone].badge,
        className,
      )}
      {...props}
    >
      {dot && <span aria-hidden="true" className={cn("size-1.5 rounded-full", tones[tone].dot)} />}
      {children}
    </span>
  );
}
