// Display only: the server validates with lib/api-keys/duration.ts, which is marked server-only.
const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const WORDS = ["year", "month", "week", "day", "hour", "minute", "second"];

/** "P1Y2M" → "1 year 2 months"; null for anything that is not an ISO-8601 duration. */
export function describeDuration(input: string): string | null {
  const value = input.trim();
  const match = PATTERN.exec(value);
  if (!match || value === "P" || value.endsWith("T")) return null;
  const parts = match
    .slice(1)
    .map((group, i) => ({ n: group === undefined ? 0 : Number(group), word: WORDS[i] }))
    .filter((part) => part.n > 0)
    .map((part) => `${part.n} ${part.word}${part.n === 1 ? "" : "s"}`);
  return parts.length > 0 ? parts.join(" ") : null;
}
