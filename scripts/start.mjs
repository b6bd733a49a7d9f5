// `npm start`: build when needed, migrate and seed the database, then serve Keyward.
// `npm run dev` (`--dev`): the same without the build, served in development mode.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestSourceChange() {
  let newest = 0;
  const walk = (dir) => {
    // A folder's own time changes when a file is added, removed or renamed in it.
    newest = Math.max(newest, fs.statSync(dir).mtimeMs);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "generated" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ["app", "components", "lib"]) walk(path.join(root, dir));
  for (const file of ["next.config.ts", "proxy.ts", "auth.ts", "package-lock.json"]) {
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (process.env.KEYWARD_SKIP_BUILD === "1") return false;
  if (!fs.existsSync(buildId)) return true;
  return newestSourceChange() > fs.statSync(buildId).mtimeMs;
}

const dev = process.argv.includes("--dev");
if (!dev && needsBuild()) run(bin("next"), ["build"]);
run(process.execPath, [path.join(root, "scripts", "prepare-db.mjs")]);

// A heap budget, so that the server's memory levels off under load where V8 would otherwise grow
// its heap for minutes before collecting: predictable beside other instances on one machine. An
// operator's own --max-old-space-size in NODE_OPTIONS wins.
const heapMb = Number(process.env.KEYWARD_HEAP_MB || 256);
if (!Number.isInteger(heapMb) || heapMb < 128) {
  console.error(`KEYWARD_HEAP_MB must be a whole number of megabytes, at least 128.`);
  process.exit(1);
}
const heap =
  dev || /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? "")
    ? []
    : [`--max-old-space-size=${heapMb}`];
const server = spawn(
  process.execPath,
  [...heap, path.join(root, "scripts", "server.mjs"), ...(dev ? ["--dev"] : [])],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: dev ? "development" : "production" },
  },
);
// The server stops cleanly on either signal (answers what is in flight, writes its usage counts)
// and exits 0; this process exits as it does.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
