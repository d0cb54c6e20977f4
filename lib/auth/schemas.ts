import { z } from "zod";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const signUpSchema = z.object({
  email,
  password: z
    .string({ error: "Choose a password." })
    // Mirrors minimum_password_length in supabase/config.toml; Supabase Auth checks it too.
    .min(8, "Use at least 8 characters.")
    // Supabase Auth hashes with bcrypt, which ignores everything past 72 bytes.
    .max(72, "Use at most 72 characters."),
  displayName: z
    .string({ error: "Enter your name as text." })
    .trim()
    .max(100, "Use at most 100 characters.")
    .optional(),
});

export const signInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password."),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
