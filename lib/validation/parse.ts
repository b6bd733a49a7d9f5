import type { z } from "zod";
import { Invalid } from "@/lib/errors";

/** Validates input with a shared schema; the first problem becomes an Invalid naming its field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  field?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.length > 0 ? issue.path.join(".") : field;
  throw new Invalid(issue.message, path);
}
