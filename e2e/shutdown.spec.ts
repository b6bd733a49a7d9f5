import crypto from "node:crypto";
import { spawn } from "node:child_process";
import path from "node:path";
import { require as tsxRequire } from "tsx/cjs/api";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { freePort, waitForHealth } from "../scripts/server-process";
import { bearer, clientAddress } from "./api-helpers";
import {
  dropE2eDatabase,
  e2eDatabaseUrl,
  expect,
  freshE2eDatabase,
  makeToken,
  newHexId,
  test,
} from "./fixtures";

// Instances started as `npm start` starts them (start.mjs prepares the database, then serves,
// forwarding signals), each on a fresh database of its own, stopped by a signal while key requests
// are in flight: each answers what it accepted, writes its usage counts and exits 0 (SPEC §7:
// exact usage counts). A database of their own, since migrating a SQLite file that another
// instance is serving is refused as busy.
const root = path.resolve(__dirname, "..");
const { createPrismaClient } = tsxRequire(
  "../lib/db/client",
  __filename,
) as typeof import("../lib/db/client");

test.describe.configure({ mode: "serial", timeout: 240_000 });

async function startInstance(databaseUrl: string) {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      // The suite's server has built already.
      KEYWARD_SKIP_BUILD: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: process.env.AUTH_SECRET || "keyward-e2e-secret-not-for-production",
      PORT: String(port),
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
  await waitForHealth(base, server, 180).catch((error: Error) => {
    throw new Error(`${error.message}:\n${output}`);
  });
  return { server, base, exited, output: () => output };
}

/** Keys of the seeded developer (dev@acme.test), put straight into the database as digests. */
async function insertKeys(
  db: PrismaClient,
  count: number,
): Promise<{ id: string; token: string }[]> {
  const owner = await db.user.findUniqueOrThrow({ where: { email: "dev@acme.test" } });
  const expiresAt = new Date(Date.now() + 86_400_000);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const token = makeToken();
      const id = newHexId();
      await db.apiKey.create({
        data: {
          id,
          tenantId: owner.tenantId,
          ownerId: owner.id,
          description: `shutdown ${i}`,
          digest: crypto.createHash("sha256").update(token).digest("hex"),
          hint: `kw_…${token.slice(-4)}`,
          expiresAt,
        },
      });
      return { id, token };
    }),
  );
}

async function countedUsage(db: PrismaClient, keyIds: string[]): Promise<number> {
  const sum = await db.apiKeyUsage.aggregate({
    where: { apiKeyId: { in: keyIds } },
    _sum: { requests: true },
  });
  return sum._sum.requests ?? 0;
}

const cases = [
  { name: "an orchestrator's stop", signals: ["SIGTERM"] },
  // A terminal's Ctrl-C reaches both start.mjs, which forwards it, and the server: the second
  // signal must not cut the shutdown short.
  { name: "Ctrl-C", signals: ["SIGINT", "SIGINT"] },
] as const;

for (const { name, signals } of cases) {
  test(`${signals[0]} under load (${name}): every answered key request is counted, and the exit is clean`, async () => {
    const databaseUrl = e2eDatabaseUrl(
      `e2e-shutdown-${signals[0]}-${process.env.E2E_PORT || 3100}`,
    );
    await freshE2eDatabase(databaseUrl);
    const instance = await startInstance(databaseUrl);
    const db = createPrismaClient(databaseUrl);
    try {
      // 10 keys keep each well under the per-key limit of 1,000 requests a minute.
      const keys = await insertKeys(db, 10);
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
      // Answers kept arriving after the signal: it came in the middle of the traffic.
      expect(answeredAfterSignal).toBeGreaterThan(0);
      // Exact at once: the instance wrote its counts before it exited.
      expect(
        await countedUsage(
          db,
          keys.map((key) => key.id),
        ),
      ).toBe(statuses.get(200));
      expect(instance.output()).toMatch(/\[keyward\] stopped/);
    } finally {
      // A test that failed before its signal still stops its instance (and so the server it runs).
      if (instance.server.exitCode === null && instance.server.signalCode === null) {
        instance.server.kill("SIGTERM");
        await instance.exited;
      }
      await db.$disconnect();
      await dropE2eDatabase(databaseUrl);
    }
  });
}
