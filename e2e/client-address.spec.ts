import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort, stopServer, waitForHealth } from "../scripts/server-process";
import { makeToken } from "./api-helpers";
import { dropE2eDatabase, e2eDatabaseUrl, freshE2eDatabase } from "./fixtures";

const root = path.resolve(__dirname, "..");

/**
 * `npm start` and `npm run dev` as a new user runs them: no proxy in front and none trusted. Unlike
 * the suite's own server, which trusts loopback so that tests can pose as distinct clients.
 */
const scripts = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts;

/** A package.json script run as npm would run it, without npm: `node …` or a local binary. */
function scriptCommand(name: string): [string, string[]] {
  const [program, ...args] = (scripts[name] as string).split(" ");
  return [
    program === "node" ? process.execPath : path.join(root, "node_modules", ".bin", program),
    args,
  ];
}

/** A request with a Host of the test's choosing (fetch sends the URL's); a POST when it names an action. */
function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  const method = headers["next-action"] ? "POST" : "GET";
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path, method, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on("error", reject);
    request.end(method === "POST" ? "[]" : undefined);
  });
}

for (const script of ["start", "dev"]) {
  test.describe(`npm run ${script}, with no trusted proxy`, () => {
    let server: ChildProcess | undefined;
    let base = "";
    // A database of its own, on the suite's engine.
    const url = e2eDatabaseUrl(`e2e-direct-${script}-${process.pid}`);

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      await freshE2eDatabase(url);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: url,
        AUTH_SECRET: "keyward-e2e-direct",
        KEYWARD_SKIP_BUILD: "1",
        KEYWARD_RATE_LIMIT_FAILURES_PER_IP: "5",
      };
      delete env.KEYWARD_TRUSTED_PROXIES;
      const [program, args] = scriptCommand(script);
      server = spawn(program, args, {
        cwd: root,
        env,
        stdio: "ignore",
      });
      await waitForHealth(base, server, 150);
    });

    test.afterAll(async () => {
      if (server) await stopServer(server);
      await dropE2eDatabase(url);
    });

    test("a client cannot escape the refusal limit by writing a new X-Forwarded-For each time", async () => {
      // Under development mode the route compiles on its first request.
      test.setTimeout(120_000);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 7; attempt++) {
        const response = await fetch(`${base}/api/v1/users/me`, {
          headers: {
            authorization: `Bearer ${makeToken()}`,
            "x-forwarded-for": `203.0.113.${attempt + 1}`,
            "x-real-ip": `198.51.100.${attempt + 1}`,
            "x-keyward-client-address": `192.0.2.${attempt + 1}`,
          },
        });
        statuses.push(response.status);
        if (response.status === 429)
          expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      // Five refusals are allowed per address per minute; the sixth and seventh wait.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    });

    test("a client's X-Forwarded-Host and -Proto are not believed: links, redirects and actions keep to its Host", async () => {
      test.setTimeout(120_000);
      const host = `keys.example.test:${new URL(base).port}`;
      const claimed = { host, "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
      const document = await rawRequest(base, "/api/v1/openapi.json", claimed);
      expect(JSON.parse(document.body).servers[0].url).toBe(`http://${host}/api/v1`);
      const signin = await rawRequest(base, "/api/auth/signin", claimed);
      const location = new URL(signin.headers.location!, base);
      expect(location.searchParams.get("callbackUrl")).toBe(`http://${host}`);
      // Next.js would take the claimed host's word for a server action from that origin.
      const action = await rawRequest(base, "/login", {
        ...claimed,
        origin: "https://evil.example",
        "next-action": "0".repeat(42),
      });
      expect(action.status).toBe(403);
    });
  });
}
