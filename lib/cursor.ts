import { Invalid } from "./errors";

/**
 * The one cursor codec of Keyward's paged lists (REST and console alike): an opaque base64url of a
 * small JSON value, which only its own list can read back.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/**
 * Reads a cursor made by `encodeCursor`; anything else, or a value `isValid` refuses, is invalid
 * input naming the parameter it came in.
 */
export function decodeCursor<T>(
  cursor: string,
  parameter: string,
  isValid: (value: unknown) => value is T,
  message = `${parameter} is not a cursor from a previous page.`,
): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (isValid(value)) return value;
  } catch {
    // Falls through to the one message below.
  }
  throw new Invalid(message, parameter);
}
