// `npm run bench`: runs each benchmark suite on the engine DATABASE_URL names (SQLite by default),
// prints a table and keeps the figures per engine in bench/results.json. Suites compare against a
// baseline measured in the same run; figures are ratios where possible. A gate that fails → exit 1.
import fs from "node:fs";
import path from "node:path";
import type { Engine } from "@/lib/db/url";
import { benchEngine } from "./database";
import { suites } from "./suites";

export interface BenchFigure {
  suite: string;
  engine: Engine;
  name: string;
  value: number;
  unit: string;
  target?: string;
  /** A gate fails the bench when its figure does not meet its target. */
  gate?: boolean;
  /** Whether the figure meets its target, where the suite can tell. */
  met?: boolean;
}

interface Results {
  measuredAt: string;
  figures: (BenchFigure & { measuredAt?: string })[];
}

const file = path.join(__dirname, "results.json");

/** The figures of earlier runs, less those of the suites measured now on this engine. */
function keptFigures(measured: Set<string>, engine: Engine): Results["figures"] {
  try {
    const previous = JSON.parse(fs.readFileSync(file, "utf8")) as Results;
    return previous.figures
      .map((f) => ({
        ...f,
        engine: f.engine ?? "sqlite",
        measuredAt: f.measuredAt ?? previous.measuredAt,
      }))
      .filter((f) => !(f.engine === engine && measured.has(f.suite)));
  } catch {
    return [];
  }
}

function verdict(figure: BenchFigure): string {
  if (figure.met === undefined) return figure.gate ? "✗ gate: no verdict" : "";
  if (figure.met) return "✓";
  return figure.gate ? "✗ gate" : "✗";
}

async function main() {
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const engine = benchEngine();
  const measuredAt = new Date().toISOString();
  const figures: BenchFigure[] = [];
  const measured = new Set<string>();
  for (const suite of suites) {
    if (only.length > 0 && !only.includes(suite.name)) continue;
    console.log(`\n▶ ${suite.name} (${engine})`);
    measured.add(suite.name);
    const results = await suite.run();
    figures.push(...results.map((figure) => ({ suite: suite.name, engine, ...figure })));
  }
  console.table(
    figures.map((f) => ({
      suite: f.suite,
      engine: f.engine,
      name: f.name,
      value: f.value,
      unit: f.unit,
      target: f.target ?? "",
      verdict: verdict(f),
    })),
  );
  const results: Results = {
    measuredAt,
    figures: [...keptFigures(measured, engine), ...figures.map((f) => ({ ...f, measuredAt }))],
  };
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
  const failed = figures.filter((f) => f.gate && f.met !== true);
  for (const f of failed) {
    console.error(
      `Gate failed (${f.engine}, ${f.suite}): ${f.name} = ${f.value} ${f.unit}, target ${f.target}`,
    );
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
