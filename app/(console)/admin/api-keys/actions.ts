"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { reportLeakedTokensAsAdmin } from "@/lib/api-keys/leaks";
import { revokeApiKeys } from "@/lib/api-keys/service";

const PAGE = ["/admin/api-keys"];

/** Revokes the selected keys, all or none; the page then shows them as revoked. */
export const revokeSelectedKeys = defineAction({
  args: z.tuple([z.array(z.string({ error: "Each API key ID must be text." }))]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, ids) => ({ revoked: await revokeApiKeys(principal, ids) }),
  message: ({ revoked }) => `Revoked ${revoked} API key${revoked === 1 ? "" : "s"}.`,
});

/** `Report leaked keys`: the tokens in pasted text are reported; the outcome shown is the tenant's only. */
export const reportLeakedKeys = defineAction({
  args: z.tuple([z.string({ error: "The text to search for tokens must be text." })]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: (principal, text) => reportLeakedTokensAsAdmin(principal, text),
});
