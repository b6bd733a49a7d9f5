// Throwaway PostgreSQL clusters for Keyward's tests and CI; nothing else starts a server for them.
//   node scripts/postgres.mjs start --port 55432 [--dir D]   prints the connection URL, leaves it running
//   node scripts/postgres.mjs stop --dir D
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Written after initdb: only a directory that holds it is removed when its cluster stops.
const MARKER = "keyward-throwaway-cluster";
// A unix socket path longer than this does not fit in sockaddr_un.
const MAX_SOCKET_PATH = 100;

export function postgresBin() {
  return process.env.PG_BIN || "/usr/lib/postgresql/15/bin";
}

/** Whether the PostgreSQL server binaries this script needs are installed. */
export function postgresAvailable() {
  return ["initdb", "pg_ctl", "postgres"].every((name) =>
    fs.existsSync(path.join(postgresBin(), name)),
  );
}

const isRoot = () => process.getuid?.() === 0;

function postgresUser() {
  const id = (flag) => {
    const result = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error("Running as root, but there is no postgres OS user to run PostgreSQL as.");
    }
    return Number(result.stdout.trim());
  };
  return { uid: id("-u"), gid: id("-g") };
}

/** Runs a PostgreSQL binary, as the postgres OS user when we are root (initdb refuses root). */
function runPostgres(name, args) {
  const binary = path.join(postgresBin(), name);
  const [command, commandArgs] = isRoot()
    ? ["runuser", ["-u", "postgres", "--", binary, ...args]]
    : [binary, args];
  const result = spawnSync(command, commandArgs, { encoding: "utf8", cwd: os.tmpdir() });
  if (result.error) throw result.error;
  return result;
}

function runOrThrow(name, args, logFile) {
  const result = runPostgres(name, args);
  if (result.status !== 0) {
    let log = "";
    if (logFile && fs.existsSync(logFile)) log = fs.readFileSync(logFile, "utf8").slice(-2000);
    throw new Error(
      `${name} ${args.join(" ")} failed (${result.status}):\n${result.stdout}${result.stderr}${log}`,
    );
  }
  return result;
}

function initCluster(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = postgresUser();
    fs.chownSync(dir, uid, gid);
  }
  // C.UTF-8 so that lower() and pg_trgm treat non-ASCII letters as letters, with bytewise sorting.
  const options = ["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"];
  runOrThrow("initdb", ["-D", dir, ...options]);
  const socketDir = path.join(dir, ".s.PGSQL.65535").length <= MAX_SOCKET_PATH ? dir : "/tmp";
  // Durability is not worth waiting for in a cluster that is thrown away after the run.
  const settings = [
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir.replaceAll("'", "''")}'`,
    "max_connections = 300",
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
  ];
  fs.appendFileSync(path.join(dir, "postgresql.conf"), `\n# ${MARKER}\n${settings.join("\n")}\n`);
  fs.writeFileSync(path.join(dir, MARKER), "");
}

/**
 * Starts a PostgreSQL cluster on 127.0.0.1:port, in `dir` (created and initialised when it holds no
 * cluster yet) or in a new temporary directory. `stop()` shuts it down and removes the directory
 * when this script created the cluster.
 */
export function startCluster({ port, dir } = {}) {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`A TCP port is required, got ${port}.`);
  }
  if (!postgresAvailable()) {
    throw new Error(`PostgreSQL binaries not found in ${postgresBin()} (set PG_BIN).`);
  }
  const dataDir = path.resolve(dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "keyward-pg-")));
  const created = dir === undefined || !fs.existsSync(dataDir);
  const fresh = !fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const logFile = path.join(dataDir, "postgres.log");
  try {
    if (fresh) initCluster(dataDir);
    runOrThrow(
      "pg_ctl",
      ["-D", dataDir, "-l", logFile, "-o", `-p ${port}`, "-w", "-t", "60", "start"],
      logFile,
    );
  } catch (error) {
    // A directory made for this start (port taken, say) is of no use to anyone afterwards.
    if (created) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    dir: dataDir,
    stop: () => stopCluster({ dir: dataDir }),
  };
}

/** Stops the cluster in `dir` (if it runs) and removes the directory if this script made it. */
export function stopCluster({ dir }) {
  if (!dir) throw new Error("The cluster's directory is required.");
  const dataDir = path.resolve(dir);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new Error(`${dataDir} holds no PostgreSQL cluster.`);
  }
  // pg_ctl status exits 0 only while a server runs there; a stale postmaster.pid is no server.
  if (runPostgres("pg_ctl", ["-D", dataDir, "status"]).status === 0) {
    runOrThrow("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  }
  if (fs.existsSync(path.join(dataDir, MARKER))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function option(args, name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function main(argv) {
  const [command, ...args] = argv;
  const dir = option(args, "--dir");
  if (command === "start") {
    const port = Number(option(args, "--port"));
    const cluster = startCluster({ port, dir });
    process.stderr.write(
      `Keyward's test PostgreSQL runs in ${cluster.dir}; stop it with: ` +
        `node scripts/postgres.mjs stop --dir ${cluster.dir}\n`,
    );
    process.stdout.write(`${cluster.url}\n`);
  } else if (command === "stop") {
    stopCluster({ dir });
  } else {
    process.stderr.write(
      "Usage: node scripts/postgres.mjs start --port PORT [--dir DIR]\n" +
        "       node scripts/postgres.mjs stop --dir DIR\n",
    );
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  }
}
