import { spawn } from "node:child_process";
import path from "node:path";
import { freePort, waitForHealth } from "../scripts/server-process";
import { bearer, clientAddress } from "./api-helpers";
import {
  createTenant,
  createUser,
  e2eDatabaseUrl,
  e2eDb,
  expect,
  insertKey,
  test,
  type TestKey,
} from "./fixtures";

// Instances of this file's own on the suite's database, stopped by a signal while key requests are
// in flight: each answers what it accepted, writes its usage counts and exits 0 (SPEC §7: exact
// usage counts).
const root = path.resolve(__dirname, "..");

test.describe.configure({ mode: "serial", timeout: 180_000 });

/** `npm start`'s way (start.mjs prepares the database, then serves, forwarding signals) or the server alone. */
async function startInstance(script: "start.mjs" | "server.mjs") {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(root, "scripts", script)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      // The suite's server has built already.
      KEYWARD_SKIP_BUILD: "1",
      DATABASE_URL: e2eDatabaseUrl(),
      AUTH_SECRET: process.env.AUTH_SECRET || "keyward-e2e-secret-not-for-production",
      PORT: String(port),
      KEYWARD_E2E: "1",
      KEYWARD_TRUSTED_PROXIES: "loopback",
    },
  });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    server.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, server, 120);
  return { server, base, exited, output: () => output };
}

async function countedUsage(keys: TestKey[]): Promise<number> {
  const sum = await e2eDb().apiKeyUsage.aggregate({
    where: { apiKeyId: { in: keys.map((key) => key.id) } },
    _sum: { requests: true },
  });
  return sum._sum.requests ?? 0;
}

const cases = [
  { script: "start.mjs", signals: ["SIGTERM"] },
  // A terminal's Ctrl-C reaches both start.mjs (which forwards it) and the server: a second signal
  // must not cut the shutdown short.
  { script: "server.mjs", signals: ["SIGINT", "SIGINT"] },
] as const;

for (const { script, signals } of cases) {
  test(`${signals[0]} under load (${script}): every answered key request is counted, and the exit is clean`, async () => {
    const slug = await createTenant();
    const developer = await createUser(slug, { developer: true });
    // 10 keys keep each well under the per-key limit of 1,000 requests a minute.
    const keys = await Promise.all(Array.from({ length: 10 }, () => insertKey(developer)));
    const instance = await startInstance(script);
    const address = clientAddress();

    let signalled = false;
    let sent = 0;
    let answeredAfterSignal = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      for (;;) {
        const key = keys[sent++ % keys.length];
        let status: number;
        try {
          const response = await fetch(`${instance.base}/api/v1/users/me`, {
            headers: bearer(key.token, address),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch (error) {
          // Once stopping, the server refuses new connections: that is this worker's end.
          if (signalled) return;
          throw error;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (signalled && status === 200) answeredAfterSignal++;
      }
    };
    const workers = Promise.all(Array.from({ length: 32 }, worker));
    await expect.poll(() => statuses.get(200) ?? 0, { timeout: 60_000 }).toBeGreaterThan(300);
    signalled = true;
    for (const signal of signals) instance.server.kill(signal);
    await workers;

    expect(await instance.exited, instance.output()).toEqual({ code: 0, signal: null });
    expect([...statuses.keys()]).toEqual([200]);
    // Requests were in flight when the signal came, and they were answered.
    expect(answeredAfterSignal).toBeGreaterThan(0);
    // Exact at once: the instance wrote its counts before it exited.
    expect(await countedUsage(keys)).toBe(statuses.get(200));
    expect(instance.output()).toMatch(/\[keyward\] stopped/);
  });
}
