import type { BenchFigure } from "./run";
import { adminSearchSuite } from "./admin-search";
import { apiAuthSuite } from "./api-auth";
import { eventsSuite } from "./events";
import { instancesSuite } from "./instances";
import { mixedLoadSuite } from "./mixed-load";
import { revocationSuite } from "./revocation";

export interface BenchSuite {
  name: string;
  /** Figures of the engine DATABASE_URL names; run.ts adds the suite and the engine. */
  run(): Promise<Omit<BenchFigure, "suite" | "engine">[]>;
}

/** Each benchmark suite registers here. */
export const suites: BenchSuite[] = [
  apiAuthSuite,
  instancesSuite,
  revocationSuite,
  adminSearchSuite,
  eventsSuite,
  mixedLoadSuite,
];
