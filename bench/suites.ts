import type { BenchFigure } from "./run";
import { eventsSuite } from "./events";

export interface BenchSuite {
  name: string;
  run(): Promise<Omit<BenchFigure, "suite">[]>;
}

/** Each benchmark suite registers here (one line each). */
export const suites: BenchSuite[] = [eventsSuite];
