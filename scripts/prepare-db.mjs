// Applies migrations and, on an empty database, seeds the demo data (SPEC §2).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { DEFAULT_DATABASE_URL, migrate } from "./migrate.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

try {
  migrate(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
run(bin("tsx"), ["--conditions=react-server", path.join(root, "prisma", "seed.ts"), "--if-empty"]);
