import type { BenchFigure } from "./run";
import { apiAuthSuite } from "./api-auth";

export interface BenchSuite {
  name: string;
  run(): Promise<Omit<BenchFigure, "suite">[]>;
}

/** Each benchmark suite registers here (one line each). */
export const suites: BenchSuite[] = [apiAuthSuite];
