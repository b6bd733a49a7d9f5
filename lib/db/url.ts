import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/keyward.db";

export type Engine = "sqlite" | "postgres";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** SPEC §7: `file:` is SQLite, `postgres://` or `postgresql://` is PostgreSQL. */
export function engineOf(url = databaseUrl()): Engine {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${url}").`,
  );
}

export function isPostgres(url = databaseUrl()): boolean {
  return engineOf(url) === "postgres";
}

/** Absolute path of the SQLite file, its folder created on first use. */
export function sqliteFilePath(url = databaseUrl()): string {
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), url.replace(/^file:/, ""));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
