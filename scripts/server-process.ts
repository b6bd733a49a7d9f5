// Keyward's server as a child process, for the benches and the end-to-end suite.
import type { ChildProcess } from "node:child_process";
import net from "node:net";

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Waits until `/api/health` answers (up to `seconds`), or fails at once if the server exits. */
export async function waitForHealth(
  base: string,
  server: ChildProcess,
  seconds = 300,
): Promise<void> {
  for (let waited = 0; waited < seconds * 1000; waited += 250) {
    if (server.exitCode !== null) throw new Error("the server exited before it was ready");
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the server did not become ready");
}

/** Stops the server with SIGTERM (its last usage counts are written) and waits for it to exit. */
export function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}
