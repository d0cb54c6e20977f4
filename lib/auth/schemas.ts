import { z } from "zod";
import { displayNameSchema } from "@/lib/profiles/display-name";

/** Supabase Auth hashes with bcrypt, which reads at most 72 bytes of a password. */
const MAX_PASSWORD_BYTES = 72;
const utf8 = new TextEncoder();

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  // The longest address mail can carry (RFC 5321: 64 before the @, 254 in all); Supabase
  // Auth fails on longer ones rather than refusing them.
  .max(254, "Use at most 254 characters.")
  .refine((value) => (value.split("@")[0] ?? "").length <= 64, "Use at most 64 characters before the @.")
  .pipe(z.email({ error: "Enter a valid email address." }));

const newPassword = z
  .string({ error: "Choose a password." })
  // Mirrors minimum_password_length in supabase/config.toml; Supabase Auth checks it too.
  .min(8, "Use at least 8 characters.")
  // Bytes, not characters: an emoji is 4 bytes, so 37 of them are too many for bcrypt.
  .refine((password) => utf8.encode(password).length <= MAX_PASSWORD_BYTES, {
    error: `Use at most ${MAX_PASSWORD_BYTES} bytes: that is 72 plain letters, fewer with accents or emoji.`,
  });

export const signUpSchema = z.object({
  email,
  password: newPassword,
  displayName: displayNameSchema.optional(),
  /**
   * Where the confirmation link leads once opened (an invitation's page): a path on this
   * site, checked again with safeNextPath wherever it is used. Longer is no path of ours.
   */
  next: z.string().max(2048).optional(),
});

export const signInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password."),
});

/** Asking for another confirmation email, or for a password reset link. */
export const emailOnlySchema = z.object({ email });

export const newPasswordSchema = z.object({ password: newPassword });

export const emailChangeSchema = z.object({ email });

/**
 * The query of an emailed link (supabase/templates): the hashed token, what it confirms,
 * and where to go next. `email` is the SSR guide's name for a sign-up confirmation.
 */
export const emailLinkSchema = z.object({
  // Supabase Auth's token hashes are hex (a PKCE one starts with `pkce_`).
  token_hash: z.string().regex(/^[\w-]{1,256}$/),
  type: z.enum(["email", "signup", "recovery", "email_change", "magiclink", "invite"]),
  next: z.string().optional(),
});

export type EmailLink = z.infer<typeof emailLinkSchema>;
export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
