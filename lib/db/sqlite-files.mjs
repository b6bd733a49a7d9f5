// The files of an embedded SQLite database: plain JavaScript, so that Keyward's scripts can use the
// same rules as the app.
import fs from "node:fs";
import path from "node:path";

/** The rate-limit store beside a database file: `keyward.db` → `keyward.rate-limit.db`. */
export function rateLimitFilePath(/** @type {string} */ file) {
  return path.join(path.dirname(file), `${path.basename(file, ".db")}.rate-limit.db`);
}

/** A database file, its rate-limit store, and the journals SQLite keeps beside each. */
export function sqliteFiles(/** @type {string} */ file) {
  return [file, rateLimitFilePath(file)].flatMap((database) =>
    ["", "-wal", "-shm", "-journal"].map((suffix) => database + suffix),
  );
}

/** Removes a database file, its rate-limit store, and the journals SQLite keeps beside each. */
export function removeSqliteFiles(/** @type {string} */ file) {
  for (const each of sqliteFiles(file)) fs.rmSync(each, { force: true });
}
