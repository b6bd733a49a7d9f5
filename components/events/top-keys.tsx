import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { KeyUsage } from "@/lib/usage/stats";
import { Time } from "@/components/ui/time";
import { formatCount } from "./format";
import { Sparkline } from "./sparkline";

export const TOP_KEYS_TITLE = "Top keys by requests";

/** The busiest keys of the period, each one link away from the key itself and from its events. */
export function TopKeys({ keys, periodLabel }: { keys: KeyUsage[]; periodLabel: string }) {
  if (keys.length === 0) {
    return <p className="text-sm text-slate-600">No key was used in this period.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{`${TOP_KEYS_TITLE}, ${periodLabel.toLowerCase()}`}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-semibold">
              Key
            </th>
            <th scope="col" className="px-4 py-2.5 font-semibold">
              Owner
            </th>
            <th scope="col" className="px-4 py-2.5 text-right font-semibold">
              Requests
            </th>
            <th scope="col" className="px-4 py-2.5 font-semibold">
              Trend
            </th>
            <th scope="col" className="px-4 py-2.5 font-semibold">
              Last used
            </th>
            <th scope="col" className="px-4 py-2.5 font-semibold">
              Events
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => {
            const name = key.name ?? "Deleted key";
            return (
              <tr key={key.apiKeyId}>
                <td className="px-4 py-3">
                  {/* A name may be one unbroken word of 256 characters: cut it short, as the owner. */}
                  <div className="flex max-w-64 flex-wrap items-center gap-2">
                    <Link
                      href={`/admin/api-keys?search=${encodeURIComponent(key.apiKeyId)}`}
                      title={name}
                      className="max-w-full truncate font-medium text-blue-800 underline-offset-2 hover:underline"
                    >
                      {name}
                    </Link>
                    {key.unusual && <StatusBadge status="unusual" />}
                  </div>
                  <code className="text-xs text-slate-600">{key.apiKeyId}</code>
                </td>
                <td className="px-4 py-3">
                  {key.owner ? (
                    <div className="grid max-w-48">
                      <span className="truncate" title={key.owner.name}>
                        {key.owner.name}
                      </span>
                      <span className="truncate text-xs text-slate-600" title={key.owner.email}>
                        {key.owner.email}
                      </span>
                    </div>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{formatCount(key.requests)}</td>
                <td className="px-4 py-3">
                  <Sparkline points={key.points} label={`Requests of ${name}`} />
                </td>
                <td className="px-4 py-3 whitespace-nowrap">
                  <Time iso={key.lastUsedAt} variant="relative" fallback="—" />
                  {key.lastIp && (
                    <span className="block text-xs text-slate-600">from {key.lastIp}</span>
                  )}
                </td>
                <td className="px-4 py-3">
                  <Link
                    href={`/admin/events?key=${encodeURIComponent(key.apiKeyId)}`}
                    aria-label={`Show events of ${name}`}
                    className="text-blue-800 underline-offset-2 hover:underline"
                  >
                    Show events
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
