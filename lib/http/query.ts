import "server-only";
import type { z } from "zod";
import { HttpProblem } from "./errors";

/**
 * Validates a URL's query parameters with a zod object schema. Unknown parameters are ignored,
 * a repeated parameter counts once (its first value), and the first problem names its parameter.
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.output<S> {
  const params: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (!(name in params)) params[name] = value;
  }
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const parameter = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  throw new HttpProblem(400, issue.message, parameter ? { parameter } : undefined);
}
