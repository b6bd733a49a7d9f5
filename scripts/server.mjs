// Keyward's server: Next.js behind Node's HTTP server, which alone sees each request's socket and
// so records which address the request comes from (lib/auth/client-address-rule.mjs).
import http from "node:http";
import path from "node:path";
import next from "next";
import { stampClientAddress, trustedProxies } from "../lib/auth/client-address-rule.mjs";
import { guardRequests } from "../lib/http/request-guard.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT || 3000);
// Fails at start, with proxy-addr's message, when KEYWARD_TRUSTED_PROXIES names no address.
const trust = trustedProxies();

// `--dev` (npm run dev): Next.js compiles on demand and reloads on change, behind the same server.
const dev = process.argv.includes("--dev");
const app = next({ dev, turbopack: dev, dir: root, hostname: "localhost", port });
const handle = guardRequests(app.getRequestHandler());
await app.prepare();

const server = http.createServer((request, response) => {
  stampClientAddress(request, trust);
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
