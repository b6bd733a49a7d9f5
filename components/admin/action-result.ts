import { isDomainError } from "@/lib/errors";

/** What a server action of the administration center answers: success, or what went wrong. */
export type ActionResult =
  { ok: true; message?: string } | { ok: false; message: string; field?: string };

/** Expected failures become their message; anything else is logged and answered generically. */
export function actionFailure(error: unknown): ActionResult {
  if (isDomainError(error)) return { ok: false, message: error.message, field: error.field };
  const traceId = crypto.randomUUID();
  console.error(`[${traceId}]`, error);
  return { ok: false, message: `Something went wrong (trace ${traceId}). Try again.` };
}
