import Link from "next/link";
import { cn, focusRing } from "@/components/ui/cn";
import { USAGE_PERIODS, type UsagePeriod } from "@/lib/usage/stats";

/** Period of the usage charts, kept in the URL (`period`). */
export function PeriodPicker({
  current,
  hrefFor,
}: {
  current: UsagePeriod;
  hrefFor: (period: UsagePeriod) => string;
}) {
  return (
    <div
      role="group"
      aria-label="Period"
      className="inline-flex rounded-md border border-slate-300 bg-white p-0.5"
    >
      {(Object.keys(USAGE_PERIODS) as UsagePeriod[]).map((period) => (
        <Link
          key={period}
          href={hrefFor(period)}
          aria-current={period === current ? "true" : undefined}
          className={cn(
            "rounded px-3 py-1 text-sm",
            period === current
              ? "bg-slate-900 font-semibold text-white"
              : "text-slate-700 hover:bg-slate-100",
            focusRing,
          )}
        >
          {USAGE_PERIODS[period].label}
        </Link>
      ))}
    </div>
  );
}
