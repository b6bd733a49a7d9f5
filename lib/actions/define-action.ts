import "server-only";
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import type { Principal, Role } from "@/lib/auth/principal";
import { requireActionPrincipal } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import type { ActionResult } from "./result";

export type { ActionResult } from "./result";

/** The arguments an action takes, as a tuple: what the page's script posts, in order. */
type ActionArgs = z.ZodType<unknown[], unknown[]>;

export interface ActionDefinition<S extends ActionArgs, T> {
  /** Checked before anything runs: a hand-made POST may send anything. */
  args: S;
  /** Checked on top of the domain function's own check, before the arguments are read. */
  role?: Role;
  /** The pages showing what the action changes, refreshed after every call, refused or not. */
  revalidate?: readonly string[];
  run: (principal: Principal, ...args: z.output<S>) => Promise<T>;
  /** What the page shows on success. */
  message?: (data: T) => string;
}

export const MALFORMED_CALL =
  "This action was called with arguments it does not take; nothing was changed.";

/**
 * A server action: a public POST endpoint that re-checks its caller, parses its arguments, calls
 * the domain, refreshes its pages and answers one ActionResult. Expected failures (DomainError)
 * become their message; anything else is logged with a trace ID and answered generically, while
 * Next.js's own signals (redirect, notFound) pass through.
 */
export function defineAction<S extends ActionArgs, T>(
  definition: ActionDefinition<S, T>,
): (...args: z.input<S>) => Promise<ActionResult<T>> {
  return async (...args) => {
    try {
      const principal = await requireActionPrincipal();
      if (definition.role) requireRole(principal, definition.role);
      const parsed = definition.args.safeParse(args);
      if (!parsed.success) return refusal(parsed.error);
      const data = await definition.run(principal, ...parsed.data);
      const message = definition.message?.(data);
      return message === undefined ? { ok: true, data } : { ok: true, data, message };
    } catch (error) {
      unstable_rethrow(error);
      return actionFailure(error);
    } finally {
      // Also after a refusal, so that the page shows what is true now: a key deleted meanwhile
      // leaves the list, and a caller whose session has ended is sent to sign in.
      for (const path of definition.revalidate ?? []) revalidatePath(path);
    }
  };
}

/** The first problem with the arguments, named by its field (the path past the argument's index). */
function refusal(error: z.ZodError): ActionResult<never> {
  const [issue] = error.issues;
  if (issue.path.length === 0) return { ok: false, error: MALFORMED_CALL };
  const field = issue.path.slice(1).join(".");
  return field ? { ok: false, error: issue.message, field } : { ok: false, error: issue.message };
}

/** Expected failures become their message; anything else is logged and answered generically. */
function actionFailure(error: unknown): ActionResult<never> {
  if (isDomainError(error)) {
    return error.field
      ? { ok: false, error: error.message, field: error.field }
      : { ok: false, error: error.message };
  }
  const traceId = randomUUID();
  console.error(`[server action] trace ${traceId}`, error);
  return { ok: false, error: `Something went wrong (trace ID ${traceId}). Try again.` };
}
