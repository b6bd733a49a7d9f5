import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Prisma as PostgresPrisma } from "@/lib/generated/prisma-postgres/client";
import { engineOf } from "./url";

/**
 * A Prisma filter for text that contains `term` in any case, alike on both engines. SQLite's LIKE
 * ignores the case of ASCII letters by itself; PostgreSQL needs Prisma's insensitive mode (ILIKE,
 * which folds every letter), known to its client only, and a backslash escaped, as LIKE's escape
 * character there (plain text in SQLite). On both, `%` and `_` in the term match any text.
 */
export function containsIgnoringCase(term: string): Prisma.StringFilter {
  if (engineOf() === "sqlite") return { contains: term };
  const filter: PostgresPrisma.StringFilter = {
    contains: term.replaceAll("\\", "\\\\"),
    mode: "insensitive",
  };
  return filter as Prisma.StringFilter;
}
