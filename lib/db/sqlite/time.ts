/** SQLite's text form of a Prisma DateTime (`2026-11-26T11:33:07.551+00:00`); compared as text. */
export function sqliteTime(date: Date | number): string {
  return new Date(date).toISOString().replace("Z", "+00:00");
}
