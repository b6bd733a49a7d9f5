// Keyward's server: Next.js behind Node's HTTP server, which alone sees each request's socket and
// so records which address the request comes from (lib/auth/client-address-rule.mjs) and which
// origin it was made to (lib/http/public-origin-rule.mjs).
import http from "node:http";
import path from "node:path";
import next from "next";
import { stampClientAddress, trustedProxies } from "../lib/auth/client-address-rule.mjs";
import { stampPublicOrigin } from "../lib/http/public-origin-rule.mjs";
import { admitInTurn, DEFAULT_CONCURRENT_REQUESTS } from "../lib/http/admission.mjs";
import { guardRequests } from "../lib/http/request-guard.mjs";

const root = path.resolve(import.meta.dirname, "..");
// What the server creates (the rate-limit store, the session secret, SQLite's journals) is its
// owner's alone, as scripts/prepare-db.mjs makes the database.
process.umask(0o077);
const port = Number(process.env.PORT || 3000);
// Fails at start, with proxy-addr's message, when KEYWARD_TRUSTED_PROXIES names no address.
const trust = trustedProxies();

// `--dev` (npm run dev): Next.js compiles on demand and reloads on change, behind the same server.
const dev = process.argv.includes("--dev");
const app = next({ dev, turbopack: dev, dir: root, hostname: "localhost", port });
// Under load, requests wait their turn in arrival order, so that new clients are served too.
const concurrent = Number(process.env.KEYWARD_CONCURRENT_REQUESTS || DEFAULT_CONCURRENT_REQUESTS);
if (!Number.isInteger(concurrent) || concurrent < 1) {
  console.error("KEYWARD_CONCURRENT_REQUESTS must be a whole number, at least 1.");
  process.exit(1);
}
const handle = admitInTurn(guardRequests(app.getRequestHandler()), concurrent);
await app.prepare();

const server = http.createServer((request, response) => {
  stampClientAddress(request, trust);
  stampPublicOrigin(request, trust);
  handle(request, response).catch((error) => {
    console.error("[keyward] request failed", error);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
// Longer than a load balancer's idle timeout (60 s is common), so that the balancer, not Keyward,
// closes an idle kept-alive connection: a request sent just as the server closes one is lost.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, () => {
  console.log(`Keyward is ready on http://localhost:${port}`);
});

// Stopping (SIGTERM from an orchestrator, SIGINT from a terminal): no new connections, the requests
// in flight answered, then the usage counts written and the database closed, all within 10 s.
const STOP_WITHIN_MS = 10_000;
let stopping = false;
let inFlight = 0;
let drained = () => {};
server.on("request", (request, response) => {
  inFlight++;
  // While stopping, each answer closes its connection, so that no further request comes on it.
  if (stopping) response.setHeader("Connection", "close");
  response.once("close", () => {
    inFlight--;
    if (inFlight === 0) drained();
  });
});

async function stop(signal) {
  // A terminal's Ctrl-C reaches this process twice (directly, and forwarded by start.mjs).
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  console.log(`[keyward] ${signal}: accepting no new connections, answering ${inFlight} in flight`);
  setTimeout(() => {
    console.error(
      `[keyward] not stopped within ${STOP_WITHIN_MS / 1000} s (${inFlight} requests unanswered): exiting`,
    );
    process.exit(1);
  }, STOP_WITHIN_MS);
  // No new connections; kept-alive ones that are idle close now.
  server.close();
  while (inFlight > 0) await new Promise((resolve) => (drained = resolve));
  // What is left is idle: closed before another request can arrive on it and go uncounted.
  server.closeAllConnections();
  try {
    // lib/db: the usage counts written, then every connection closed (set once lib/db is loaded).
    await globalThis.keywardShutdown?.();
  } catch (error) {
    console.error("[keyward] writing the usage counts or closing the database failed", error);
    process.exit(1);
  }
  console.log(
    `[keyward] stopped in ${Date.now() - started} ms: every request answered, usage counts written, database closed`,
  );
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void stop(signal));
