/**
 * What every console server action answers: its data (and a message to show), or what went wrong.
 * `field` names the form field the failure is about, when there is one.
 */
export type ActionResult<T = null> =
  { ok: true; data: T; message?: string } | { ok: false; error: string; field?: string };
