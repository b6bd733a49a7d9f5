import { TOP_KEYS_TITLE, TopKeys } from "@/components/events/top-keys";
import { UsageChart } from "@/components/events/usage-chart";
import { Spinner } from "@/components/ui/spinner";
import type { Principal } from "@/lib/auth/principal";
import {
  tenantUsageSeries,
  topKeysByUsage,
  USAGE_PERIODS,
  type UsagePeriod,
} from "@/lib/usage/stats";

/** The usage chart and the busiest keys: sums over the period, so the slowest part of the page. */
export async function Usage({ principal, period }: { principal: Principal; period: UsagePeriod }) {
  const [series, topKeys] = await Promise.all([
    tenantUsageSeries(principal, period),
    topKeysByUsage(principal, period),
  ]);
  const { label, unit } = USAGE_PERIODS[period];
  return (
    <>
      <UsageChart series={series} title={`Requests per ${unit}, ${label.toLowerCase()}`} />
      <h3 className="text-base font-semibold">{TOP_KEYS_TITLE}</h3>
      <TopKeys keys={topKeys} periodLabel={label} />
    </>
  );
}

/** While the sums are made, the rest of the page (the events) is already there. */
export function UsageLoading() {
  return (
    <div className="flex h-48 items-center justify-center text-sm text-slate-600">
      <Spinner label="Loading usage…" size="md" />
    </div>
  );
}
