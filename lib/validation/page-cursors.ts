import { z } from "zod";

/** The `next` and `prev` query parameters of Keyward's paged REST lists, as Qlik names them. */
export const pageCursorFields = {
  next: z.string().max(1024).optional().meta({ description: "Cursor of the next page." }),
  prev: z.string().max(1024).optional().meta({ description: "Cursor of the previous page." }),
};

/** A list's query schema that takes one cursor at most: a page comes after or before another. */
export function withPageCursors<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .object({ ...shape, ...pageCursorFields })
    .refine((query) => !((query as { next?: string }).next && (query as { prev?: string }).prev), {
      message: "Give next or prev, not both.",
      path: ["prev"],
    });
}
