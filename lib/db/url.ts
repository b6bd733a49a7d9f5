import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/keyward.db";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function isPostgres(url = databaseUrl()): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Absolute path of the SQLite file, its folder created on first use. */
export function sqliteFilePath(url = databaseUrl()): string {
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), url.replace(/^file:/, ""));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
