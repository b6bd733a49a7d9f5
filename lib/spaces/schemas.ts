import { z } from "zod";
import { withPageCursors } from "@/lib/validation/page-cursors";
import { displayText } from "@/lib/validation/text";

export const SPACE_TYPES = ["shared", "managed", "data"] as const;

export const spaceNameSchema = displayText("name", { max: 256, required: true });

export const createSpaceSchema = z.object({
  name: spaceNameSchema,
  description: displayText("description", { max: 1024, lines: true }).optional(),
  type: z
    .enum(SPACE_TYPES, { error: "type must be shared, managed or data." })
    .default("shared")
    .optional(),
});

/** `GET /spaces` query parameters. */
export const listSpacesQuerySchema = withPageCursors({
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 100." })
    .int("limit must be a whole number from 1 to 100.")
    .min(1, "limit must be a whole number from 1 to 100.")
    .max(100, "limit must be a whole number from 1 to 100.")
    .default(10)
    .meta({ description: "Spaces per page, 1–100." }),
  name: z
    .string()
    .max(256, "name can be at most 256 characters.")
    .optional()
    .meta({ description: "Only spaces whose name contains this text." }),
});

export type ListSpacesQuery = z.output<typeof listSpacesQuerySchema>;

export const spaceIdSchema = z
  .string({ error: "Space ID is required." })
  .regex(/^[0-9a-f]{24}$/, "Space ID must be 24 hexadecimal characters.");
