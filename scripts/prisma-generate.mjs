// `postinstall`: one Prisma schema, a generated client for each engine. The schema in `prisma/` is
// the source of truth (SQLite); the PostgreSQL client is generated from a copy that differs only in
// its provider and in storing times as `timestamptz`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", ".bin", "prisma");
const source = path.join(root, "prisma", "schema.prisma");
const derived = path.join(root, "lib", "generated", "postgres", "schema.prisma");

/** The PostgreSQL schema: provider, a placeholder url, its own output folder, timestamptz times. */
export function postgresSchema(text) {
  return text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = "postgresql://keyward@localhost/keyward"')
    .replace('output     = "../lib/generated/prisma"', 'output     = "../prisma-postgres"')
    .replace(/^(\s+\w+\s+DateTime\??)(.*)$/gm, "$1$2 @db.Timestamptz(3)");
}

function generate(schema) {
  const result = spawnSync(prisma, ["generate", "--schema", schema], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

fs.mkdirSync(path.dirname(derived), { recursive: true });
fs.writeFileSync(derived, postgresSchema(fs.readFileSync(source, "utf8")));
generate(source);
generate(derived);
