import { z } from "zod";
import { displayText } from "@/lib/validation/text";
import { DEFAULT_GRACE_PERIOD, GRACE_PERIOD_MESSAGE, gracePeriodMilliseconds } from "./duration";

export const API_KEY_STATUSES = ["active", "expired", "revoked"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export const descriptionSchema = displayText("Description", { max: 256, required: true });

/** The expiry a client asks for: an ISO-8601 duration; empty means the tenant's maximum. */
export const expiryInputSchema = z
  .string({ error: "Expiry must be an ISO-8601 duration such as P30D or PT12H." })
  .trim()
  .max(64, "Expiry must be an ISO-8601 duration such as P30D or PT12H.")
  .optional()
  .nullable();

export const createApiKeySchema = z.object({
  description: descriptionSchema,
  expiry: expiryInputSchema,
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const apiKeyIdSchema = z
  .string({ error: "API key ID is required." })
  .trim()
  .regex(/^[0-9a-f]{24}$/, "API key ID must be 24 hexadecimal characters.");

export const apiKeyIdListSchema = z
  .array(apiKeyIdSchema)
  .min(1, "Select at least one API key.")
  .max(1000, "At most 1000 API keys can be changed at once.");

/** `POST /api-keys/{id}/regenerate`: how long the old key keeps working (default a day). */
export const regenerateApiKeySchema = z.object({
  gracePeriod: z
    .string({ error: GRACE_PERIOD_MESSAGE })
    .trim()
    .max(32, GRACE_PERIOD_MESSAGE)
    .refine((value) => gracePeriodMilliseconds(value) !== null, { error: GRACE_PERIOD_MESSAGE })
    .optional()
    .default(DEFAULT_GRACE_PERIOD),
});
export type RegenerateApiKeyInput = z.input<typeof regenerateApiKeySchema>;

export const LEAK_REPORT_MAX_TOKENS = 1000;
const LEAK_TOKENS_MESSAGE = `tokens must be a list of 1 to ${LEAK_REPORT_MAX_TOKENS} strings.`;

/** `POST /api-keys/leaks`: tokens found where they should not be, at most 1,000 at once. */
export const leakReportSchema = z.object({
  tokens: z
    .array(
      z
        .string({ error: "Each token must be a string." })
        .max(256, "A token is at most 256 characters."),
      {
        error: LEAK_TOKENS_MESSAGE,
      },
    )
    .min(1, LEAK_TOKENS_MESSAGE)
    .max(LEAK_REPORT_MAX_TOKENS, LEAK_TOKENS_MESSAGE),
});
