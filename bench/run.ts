// `npm run bench`: runs each benchmark suite, prints a table and writes bench/results.json.
// Suites compare against a baseline measured in the same run; figures are ratios where possible.
import fs from "node:fs";
import path from "node:path";
import { suites } from "./suites";

export interface BenchFigure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  target?: string;
}

async function main() {
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const figures: BenchFigure[] = [];
  for (const suite of suites) {
    if (only.length > 0 && !only.includes(suite.name)) continue;
    console.log(`\n▶ ${suite.name}`);
    const results = await suite.run();
    figures.push(...results.map((figure) => ({ suite: suite.name, ...figure })));
  }
  console.table(
    figures.map((f) => ({
      suite: f.suite,
      name: f.name,
      value: f.value,
      unit: f.unit,
      target: f.target ?? "",
    })),
  );
  const file = path.join(__dirname, "results.json");
  fs.writeFileSync(
    file,
    JSON.stringify({ measuredAt: new Date().toISOString(), figures }, null, 2),
  );
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
