import type { BenchFigure } from "./run";
import { adminSearchSuite } from "./admin-search";
import { apiAuthSuite } from "./api-auth";
import { eventsSuite } from "./events";

export interface BenchSuite {
  name: string;
  run(): Promise<Omit<BenchFigure, "suite">[]>;
}

/** Each benchmark suite registers here. */
export const suites: BenchSuite[] = [apiAuthSuite, adminSearchSuite, eventsSuite];
