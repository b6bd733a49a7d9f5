import type { ReactNode } from "react";
import { Inbox } from "lucide-react";
import { cn } from "./cn";

export type EmptyStateProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Decorative icon; defaults to an inbox. */
  icon?: ReactNode;
  /** Call to action, e.g. a Button. */
  action?: ReactNode;
  /** Heading level for the title (default 2). */
  headingLevel?: 2 | 3 | 4;
  className?: string;
};

export function EmptyState({
  title,
  description,
  icon,
  action,
  headingLevel = 2,
  className,
}: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center",
        className,
      )}
    >
      <div
        aria-hidden="true"
        className="flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-500 [&_svg]:size-6"
      >
        {icon ?? <Inbox />}
      </div>
      <div className="grid max-w-sm gap-1">
        <Heading className="text-base font-semibold text-slate-900">{title}</Heading>
        {description && <div className="text-sm text-slate-600">{description}</div>}
      </div>
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
