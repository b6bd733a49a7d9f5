import "server-only";
import { isDomainError } from "@/lib/errors";
import { HttpProblem } from "./errors";

export interface ReplacePatch {
  /** `{field: value}`, a later operation on the same path winning. */
  changes: Record<string, unknown>;
  /** Where each field's value sits in the patch, e.g. `/0/value`, for error pointers. */
  pointers: Record<string, string>;
}

/**
 * A JSON Patch (RFC 6902) limited to `replace` on the given paths, as Qlik Cloud's PATCH
 * endpoints accept. Returns the changes as `{field: value}`; a later operation on the same path
 * wins. Anything else is a 400 pointing at the offending operation, e.g. `/0/path`.
 */
export function parseReplacePatch(body: unknown, allowed: Record<string, string>): ReplacePatch {
  if (!Array.isArray(body)) {
    throw new HttpProblem(400, "The body must be a JSON Patch array of operations.", {
      pointer: "",
    });
  }
  if (body.length === 0) {
    throw new HttpProblem(400, "The JSON Patch must hold at least one operation.", {
      pointer: "",
    });
  }
  const changes: Record<string, unknown> = {};
  const pointers: Record<string, string> = {};
  body.forEach((operation: unknown, index) => {
    if (typeof operation !== "object" || operation === null || Array.isArray(operation)) {
      throw new HttpProblem(400, "Each operation must be an object.", { pointer: `/${index}` });
    }
    const { op, path } = operation as Record<string, unknown>;
    if (op !== "replace") {
      throw new HttpProblem(400, 'Only the "replace" operation is supported.', {
        pointer: `/${index}/op`,
      });
    }
    if (typeof path !== "string" || !Object.hasOwn(allowed, path)) {
      throw new HttpProblem(400, `path must be one of ${Object.keys(allowed).join(", ")}.`, {
        pointer: `/${index}/path`,
      });
    }
    if (!("value" in operation)) {
      throw new HttpProblem(400, "value is required.", { pointer: `/${index}/value` });
    }
    changes[allowed[path]] = (operation as { value: unknown }).value;
    pointers[allowed[path]] = `/${index}/value`;
  });
  return { changes, pointers };
}

/** Runs the change; a value the domain refuses is reported at its place in the patch. */
export async function applyPatch<T>(
  patch: ReplacePatch,
  apply: (changes: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  try {
    return await apply(patch.changes);
  } catch (error) {
    if (isDomainError(error) && error.code === "INVALID" && error.field) {
      const pointer = patch.pointers[error.field];
      if (pointer) throw new HttpProblem(400, error.message, { pointer });
    }
    throw error;
  }
}
