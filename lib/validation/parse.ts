import type { z } from "zod";
import { Invalid } from "@/lib/errors";
import { malformedTextPath } from "./text";

/**
 * Validates input with a shared schema; the first problem becomes an Invalid naming its field.
 * Text that is not valid Unicode never gets past it, whatever the schema: the database drivers
 * fail on a lone surrogate, and that must be the client's 400, not Keyward's 500.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  field?: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join(".") : field;
    throw new Invalid(issue.message, path);
  }
  const malformed = malformedTextPath(result.data);
  if (malformed) {
    const path = malformed.length > 0 ? malformed.join(".") : field;
    throw new Invalid(`${path ?? "The input"} must be valid Unicode text.`, path);
  }
  return result.data;
}
