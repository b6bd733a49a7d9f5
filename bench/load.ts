// What the HTTP benches share: Keyward's server started on a bench database, autocannon, and the
// CPU time that the server (and a local PostgreSQL cluster) spend, read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Client } from "pg";
import { freePort, stopServer, waitForHealth } from "@/scripts/server-process";
import type { BenchDatabase } from "./database";

const ROOT = path.resolve(__dirname, "..");

export interface CannonResult {
  requests: { average: number; total: number };
  /** Answers by HTTP status. */
  statusCodeStats: Record<string, { count: number }>;
  /** Seconds the run took. */
  duration: number;
  latency: { p50: number; p99: number; max: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface CannonOptions {
  url: string;
  connections: number;
  method?: string;
  body?: string;
  duration?: number;
  /** A fixed number of requests instead of a duration: every one of them is answered and counted. */
  amount?: number;
  headers?: Record<string, string>;
}

export const autocannon = createRequire(__filename)("autocannon") as (
  options: CannonOptions,
) => Promise<CannonResult>;

/**
 * Requests per second over the whole run. autocannon's `requests.average` is the mean of its
 * per-second samples, which counts a run's last partial second as a whole one.
 */
export function rps(result: CannonResult): number {
  return result.requests.total / result.duration;
}

/** A process and all its descendants, from /proc (empty where there is no /proc). */
function processTree(pid: number): number[] {
  try {
    const children = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [pid, ...children.flatMap(processTree)];
  } catch {
    return [];
  }
}

/** User plus system CPU time of a process in µs, with its reaped children's when asked. */
function processCpu(pid: number, withReaped: boolean): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime, stime, cutime and cstime are fields 14–17 of stat, in clock ticks of 10 ms.
    const ticks = Number(fields[11]) + Number(fields[12]);
    const reaped = withReaped ? Number(fields[13]) + Number(fields[14]) : 0;
    return (ticks + reaped) * 10_000;
  } catch {
    return undefined;
  }
}

/**
 * Reads the CPU time (µs) a process tree has used so far. With `withReaped`, children that have
 * exited count too (PostgreSQL's postmaster reaps every backend, so a cluster's total is exact).
 */
export function cpuMeter(pid: number | undefined, withReaped = false): () => number | undefined {
  return () => {
    if (pid === undefined) return undefined;
    const [root, ...descendants] = processTree(pid);
    if (root === undefined) return undefined;
    let total = processCpu(root, withReaped) ?? 0;
    for (const child of descendants) total += processCpu(child, false) ?? 0;
    return total;
  };
}

/** The postmaster of a PostgreSQL cluster on this machine, if its data directory can be read. */
export async function postmasterPid(url: string): Promise<number | undefined> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ setting: string }>(
      "SELECT setting FROM pg_settings WHERE name = 'data_directory'",
    );
    const pid = fs
      .readFileSync(path.join(rows[0].setting, "postmaster.pid"), "utf8")
      .split("\n")[0];
    return Number(pid) || undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

export interface RunningServer {
  base: string;
  process: ChildProcess;
  /** CPU time (µs) used so far by the Next.js server (and anything it started). */
  cpu: () => number | undefined;
  stop(): Promise<void>;
}

/**
 * Keyward in production mode on the bench database: through `scripts/start.mjs` (which builds when
 * sources changed, migrates and seeds), or `scripts/server.mjs` alone, on a database made ready.
 */
export async function startKeyward(
  database: BenchDatabase,
  { script, env }: { script: "start" | "server"; env: Record<string, string> },
): Promise<RunningServer> {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", `${script}.mjs`)], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: database.url,
      AUTH_SECRET: "keyward-bench-secret",
      NODE_ENV: "production",
      ...env,
    },
  });
  const stop = () => stopServer(server);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, server);
    // start.mjs serves through its child, scripts/server.mjs; the meter follows the whole tree.
    return { base, process: server, cpu: cpuMeter(server.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first and third quartiles. */
export function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return [at(0.25), at(0.75)];
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Signs in through Auth.js's credentials endpoint and returns the cookies of the session. */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const all = [
    ...cookies,
    ...response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]),
  ];
  if (!all.some((cookie) => cookie.includes("session-token"))) {
    throw new Error(`signing in as ${email} failed`);
  }
  return all.join("; ");
}

/** Resident memory (bytes) of a process tree, from /proc; undefined where there is none. */
export function residentMemory(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      const status = fs.readFileSync(`/proc/${member}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // It exited meanwhile.
    }
  }
  return total || undefined;
}
