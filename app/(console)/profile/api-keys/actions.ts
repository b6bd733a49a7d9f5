"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import type { GeneratedKey, RegeneratedKey } from "@/lib/api-keys/dto";
import {
  createApiKey,
  deleteAllApiKeys,
  deleteApiKey,
  regenerateApiKey,
  renameApiKey,
} from "@/lib/api-keys/service";

const PAGE = ["/profile/api-keys"];

// The shapes the page sends; the rules for their values live in lib/api-keys.
const keyId = z.string({ error: "API key ID is required." });
const description = z.string({ error: "Description is required." });

export const generateKeyAction = defineAction({
  args: z.tuple([
    z.object({
      description,
      expiry: z.string({ error: "Expiry must be an ISO-8601 duration." }).nullish(),
    }),
  ]),
  revalidate: PAGE,
  run: async (principal, input): Promise<GeneratedKey> => {
    const { key, token } = await createApiKey(principal, input);
    return { id: key.id, description: key.description, expiry: key.expiry, token };
  },
});

/** `Regenerate`: a new key in place of one, which keeps working for the grace period. */
export const regenerateKeyAction = defineAction({
  args: z.tuple([keyId, z.string({ error: "Grace period is required." })]),
  revalidate: PAGE,
  run: async (principal, id, gracePeriod): Promise<RegeneratedKey> => {
    const { key, token, replaces } = await regenerateApiKey(principal, id, { gracePeriod });
    return { id: key.id, description: key.description, expiry: key.expiry, token, replaces };
  },
});

export const renameKeyAction = defineAction({
  args: z.tuple([keyId, description]),
  revalidate: PAGE,
  run: async (principal, id, newDescription) => {
    const key = await renameApiKey(principal, id, newDescription);
    return { description: key.description };
  },
});

export const deleteKeyAction = defineAction({
  args: z.tuple([keyId]),
  revalidate: PAGE,
  run: async (principal, id) => {
    await deleteApiKey(principal, id);
    return null;
  },
});

export const deleteAllKeysAction = defineAction({
  args: z.tuple([]),
  revalidate: PAGE,
  run: async (principal) => ({ deleted: await deleteAllApiKeys(principal) }),
});
