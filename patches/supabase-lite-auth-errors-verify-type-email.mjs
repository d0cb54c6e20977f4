// verifyOtp({ type: "email" }) — the confirmation link of Supabase's SSR guide
// (/auth/confirm?token_hash=...&type=email) and email OTP codes — works as in GoTrue: the
// token is looked up as a sign-up confirmation, then as a magic link / recovery token, and
// verified as that. Source: supabase/auth internal/api/verify.go (verifyTokenHash and
// verifyUserAndToken, case mail.EmailOTPVerification), internal/mailer (EmailOTPVerification = "email").
export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "verifyOtp accepts type \"email\", as GoTrue does",
  upstream: `Auth: POST /verify should accept type "email"

GoTrue's verification types include "email" (internal/mailer: EmailOTPVerification), and
it is what Supabase's SSR guide puts in the confirmation email template
(/auth/confirm?token_hash={{ .TokenHash }}&type=email) and what supabase-js documents for
email OTP codes (verifyOtp({ email, token, type: "email" })). GoTrue looks the token up as
a confirmation token first, then as a recovery (magic link) token, checks the matching
*_sent_at against the OTP expiry, and verifies it as "signup" or "magiclink"
(internal/api/verify.go verifyTokenHash / verifyUserAndToken).

lite 0.10.0 answers 400 validation_failed "Invalid email verification type", so the
guide's confirmation flow fails locally.

Fix: accept "email", search confirmation_token then recovery_token, and complete the
verification as "signup" or "magiclink" depending on which matched.`,
  edits: [
    {
      find: `"recovery","email_change","reauthentication"])`,
      replace: `"recovery","email_change","reauthentication","email"])`,
    },
    {
      find: `getTokenColumnsForType(e){switch(e){`,
      replace: `getTokenColumnsForType(e){switch(e){case "email":return ["confirmation_token","recovery_token"];`,
    },
    {
      find: `return await this.completeVerifyOtp(o,a,e.type)}`,
      replace: `return await this.completeVerifyOtp(o,a,e.type==="email"?(a==="confirmation_token"?"signup":"magiclink"):e.type)}`,
    },
  ],
};
