import { z } from "zod";

/** A table's search box: trimmed, bounded, and empty means no search. */
export const searchTermSchema = z
  .string()
  .trim()
  .max(256, "Search can be at most 256 characters.")
  .optional()
  .transform((value) => value || undefined);
