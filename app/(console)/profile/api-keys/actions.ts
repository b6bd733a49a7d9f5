"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import {
  createApiKey,
  deleteAllApiKeys,
  deleteApiKey,
  regenerateApiKey,
  renameApiKey,
} from "@/lib/api-keys/service";
import { requireActionPrincipal } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";

const PAGE = "/profile/api-keys";

export type ActionResult<T = null> =
  { ok: true; data: T } | { ok: false; error: string; field?: string };

export interface GeneratedKey {
  id: string;
  description: string;
  expiry: string;
  /** Shown once in the dialog; never stored, logged or put in a URL. */
  token: string;
}

/** Expected failures become a message; anything else is logged with a trace ID, never echoed. */
async function run<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error: error.message, field: error.field };
    const traceId = randomUUID();
    console.error(`[profile api-keys] trace ${traceId}`, error);
    return { ok: false, error: `Something went wrong (trace ID ${traceId}). Try again.` };
  }
}

export async function generateKeyAction(input: {
  description: string;
  expiry?: string | null;
}): Promise<ActionResult<GeneratedKey>> {
  const result = await run(async () => {
    const principal = await requireActionPrincipal();
    const { key, token } = await createApiKey(principal, input);
    return { id: key.id, description: key.description, expiry: key.expiry, token };
  });
  revalidatePath(PAGE);
  return result;
}

export interface RegeneratedKey extends GeneratedKey {
  /** The ID of the key it replaces. */
  replaces: string;
}

/** `Regenerate`: a new key in place of one, which keeps working for the grace period. */
export async function regenerateKeyAction(
  id: string,
  gracePeriod: string,
): Promise<ActionResult<RegeneratedKey>> {
  const result = await run(async () => {
    const principal = await requireActionPrincipal();
    const { key, token, replaces } = await regenerateApiKey(principal, id, { gracePeriod });
    return { id: key.id, description: key.description, expiry: key.expiry, token, replaces };
  });
  revalidatePath(PAGE);
  return result;
}

export async function renameKeyAction(
  id: string,
  description: string,
): Promise<ActionResult<{ description: string }>> {
  const result = await run(async () => {
    const principal = await requireActionPrincipal();
    const key = await renameApiKey(principal, id, description);
    return { description: key.description };
  });
  revalidatePath(PAGE);
  return result;
}

export async function deleteKeyAction(id: string): Promise<ActionResult> {
  const result = await run(async () => {
    const principal = await requireActionPrincipal();
    await deleteApiKey(principal, id);
    return null;
  });
  revalidatePath(PAGE);
  return result;
}

export async function deleteAllKeysAction(): Promise<ActionResult<{ deleted: number }>> {
  const result = await run(async () => {
    const principal = await requireActionPrincipal();
    return { deleted: await deleteAllApiKeys(principal) };
  });
  revalidatePath(PAGE);
  return result;
}
