import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Whether a database call failed for one of Prisma's known reasons, by code: P2002 a unique
 * index refused a second row, P2003 a row it points to is gone, P2034 a write conflict.
 */
export function isDatabaseRefusal(
  error: unknown,
  ...codes: ("P2002" | "P2003" | "P2034")[]
): error is Prisma.PrismaClientKnownRequestError {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError && codes.some((c) => c === error.code)
  );
}
