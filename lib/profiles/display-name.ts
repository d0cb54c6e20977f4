import { z } from "zod";

export const MAX_DISPLAY_NAME = 100;

/**
 * A display name, as sign-up and Settings take it: one line of text, trimmed, at most
 * 100 characters. Control characters (a NUL, a tab, a newline) are refused: a name is
 * shown in headings and email subjects, and Postgres can't store a NUL at all.
 */
export const displayNameSchema = z
  .string({ error: "Enter your name as text." })
  .trim()
  .refine((name) => !/\p{Cc}/u.test(name), { error: "Use a name without control characters (tabs, line breaks)." })
  // Counted in code points, as the database's char_length counts them.
  .refine((name) => [...name].length <= MAX_DISPLAY_NAME, {
    error: `Use at most ${MAX_DISPLAY_NAME} characters.`,
  });
