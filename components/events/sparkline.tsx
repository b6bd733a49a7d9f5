import type { UsagePoint } from "@/lib/usage/stats";
import { formatCount } from "./format";

const WIDTH = 120;
const HEIGHT = 28;

/** A key's requests over the period as one small line; its label carries the figures. */
export function Sparkline({ points, label }: { points: UsagePoint[]; label: string }) {
  const max = Math.max(1, ...points.map((point) => point.requests));
  const peak = Math.max(0, ...points.map((point) => point.requests));
  const step = points.length > 1 ? WIDTH / (points.length - 1) : WIDTH;
  const path = points
    .map((point, index) => {
      const x = (index * step).toFixed(1);
      const y = (HEIGHT - 2 - (point.requests / max) * (HEIGHT - 4)).toFixed(1);
      return `${index === 0 ? "M" : "L"}${x},${y}`;
    })
    .join(" ");
  const text = `${label}: at most ${formatCount(peak)} requests per interval, latest ${formatCount(points.at(-1)?.requests ?? 0)}.`;
  return (
    <svg
      role="img"
      aria-label={text}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
    >
      <title>{text}</title>
      <path d={path} fill="none" strokeWidth={1.5} className="stroke-blue-700" />
    </svg>
  );
}
