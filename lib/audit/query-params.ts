import { z } from "zod";

const LIMIT_MESSAGE = "limit must be a whole number from 1 to 100.";

/** `GET /api/v1/audits` query parameters: validates requests and describes them in OpenAPI. */
export const auditsQuerySchema = z.object({
  eventType: z.string().max(64).optional().meta({ example: "api-key.revoked" }),
  userId: z.string().max(64).optional(),
  eventTime: z
    .string()
    .max(100)
    .optional()
    .meta({ description: "ISO-8601 interval `start/end`; either side may be empty." }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, LIMIT_MESSAGE)
    .transform(Number)
    .pipe(z.number().int().min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE))
    .optional()
    .meta({ description: "1–100, default 10." }),
  sort: z
    .enum(["+eventTime", "-eventTime", "eventTime", " eventTime"], {
      error: "sort must be +eventTime or -eventTime.",
    })
    .optional()
    .meta({ description: "Default `-eventTime` (newest first)." }),
  next: z.string().max(512).optional(),
  prev: z.string().max(512).optional(),
});
