import { z } from "zod";
import { displayText } from "@/lib/validation/text";

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
