import type { UsageSeries } from "@/lib/usage/stats";
import { formatCount, formatDay, formatHour, formatUtc } from "./format";

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 48 };

function pointLabel(series: UsageSeries, start: string): string {
  return series.unit === "hour" ? `${formatUtc(start).slice(0, 16)} UTC` : start.slice(0, 10);
}

/** Requests of the tenant over the period: bars, an axis, and the same figures as a table. */
export function UsageChart({ series, title }: { series: UsageSeries; title: string }) {
  // At least 2, so that the middle gridline has a whole number of its own.
  const max = Math.max(2, ...series.points.map((point) => point.requests));
  const peak = series.points.reduce((best, point) =>
    point.requests > best.requests ? point : best,
  );
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / series.points.length;
  const labelEvery = Math.ceil(series.points.length / 8);
  const summary =
    series.total === 0
      ? `${title}: no requests.`
      : `${title}: ${formatCount(series.total)} requests in total, at most ${formatCount(peak.requests)} per ${series.unit} (${pointLabel(series, peak.start)}).`;
  return (
    <figure className="grid gap-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full rounded-lg border border-slate-200 bg-white"
      >
        <title>{summary}</title>
        {[0, 0.5, 1].map((fraction) => {
          const y = PAD.top + plotHeight * (1 - fraction);
          return (
            <g key={fraction} aria-hidden="true">
              <line
                x1={PAD.left}
                x2={WIDTH - PAD.right}
                y1={y}
                y2={y}
                className="stroke-slate-200"
              />
              <text
                x={PAD.left - 6}
                y={y + 4}
                textAnchor="end"
                className="fill-slate-600 text-[11px]"
              >
                {formatCount(Math.round(max * fraction))}
              </text>
            </g>
          );
        })}
        {series.points.map((point, index) => {
          const height = (point.requests / max) * plotHeight;
          const x = PAD.left + index * slot;
          return (
            <g key={point.start}>
              <rect
                x={x + slot * 0.15}
                y={PAD.top + plotHeight - height}
                width={slot * 0.7}
                height={Math.max(height, point.requests > 0 ? 1 : 0)}
                className="fill-blue-700"
              >
                <title>{`${pointLabel(series, point.start)}: ${formatCount(point.requests)} requests`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text
                  aria-hidden="true"
                  x={x + slot / 2}
                  y={HEIGHT - 8}
                  textAnchor="middle"
                  className="fill-slate-600 text-[11px]"
                >
                  {series.unit === "hour" ? formatHour(point.start) : formatDay(point.start)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-sm text-slate-600">{summary} Times in UTC.</figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-slate-900">
          Show the figures as a table
        </summary>
        <table className="mt-2 w-full max-w-md text-left">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-4 font-semibold">
                {series.unit === "hour" ? "Hour (UTC)" : "Day (UTC)"}
              </th>
              <th scope="col" className="py-1 text-right font-semibold">
                Requests
              </th>
            </tr>
          </thead>
          <tbody>
            {series.points.map((point) => (
              <tr key={point.start} className="border-t border-slate-100">
                <td className="py-1 pr-4">{pointLabel(series, point.start)}</td>
                <td className="py-1 text-right tabular-nums">{formatCount(point.requests)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
