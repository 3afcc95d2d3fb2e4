import { z } from "zod";

/** The word widths the numeric transforms accept: 1, 2, 4 or 8 bytes. Each transform sets its default. */
export const wordWidthSchema = z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], {
  error: "word width must be 1, 2, 4 or 8 bytes",
});
