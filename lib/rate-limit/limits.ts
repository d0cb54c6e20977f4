import { env } from "@/lib/env";
import type { RateLimit } from "./limiter";

/**
 * The app's rate limits, one per kind of work a user can ask for in bulk. An enqueue route
 * takes a token from its limit before it writes anything (see lib/reports/enqueue.ts).
 */

/** `POST /api/reports`: REPORTS_RATE_LIMIT per REPORTS_RATE_LIMIT_WINDOW_SECONDS per organisation. */
export function reportRequestLimit(): RateLimit {
  const { REPORTS_RATE_LIMIT, REPORTS_RATE_LIMIT_WINDOW_SECONDS } = env();
  return { bucket: "reports", limit: REPORTS_RATE_LIMIT, windowSeconds: REPORTS_RATE_LIMIT_WINDOW_SECONDS };
}

/**
 * `POST /api/organisations/:orgId/invitations`, before anything is written: per organisation
 * (INVITATIONS_RATE_LIMIT), and per invited address across every team
 * (INVITATIONS_RATE_LIMIT_PER_ADDRESS): each invitation is an email to an address anyone can
 * type, and re-inviting mints a new link, so a new email, every time. Both per
 * INVITATIONS_RATE_LIMIT_WINDOW_SECONDS (an hour).
 */
export function invitationLimits() {
  const e = env();
  const windowSeconds = e.INVITATIONS_RATE_LIMIT_WINDOW_SECONDS;
  return {
    perOrganisation: { bucket: "invitations", limit: e.INVITATIONS_RATE_LIMIT, windowSeconds } satisfies RateLimit,
    perAddress: { bucket: "invitations.address", limit: e.INVITATIONS_RATE_LIMIT_PER_ADDRESS, windowSeconds } satisfies RateLimit,
  };
}

/**
 * The limits on signing in, signing up and asking Auth for emails, per client IP and per
 * address (lib/rate-limit/auth.ts). All share AUTH_RATE_LIMIT_WINDOW_SECONDS (60 s):
 *
 * - sign-in, 10 failed attempts per address: a person mistyping a password gets there well
 *   within it; a guesser gets 10 a minute per account, and the owner, whose successful
 *   sign-in is not counted, gets in again seconds after a flood stops (the bucket refills
 *   one attempt every 6 s);
 * - sign-in, 30 per IP: stops one machine trying many accounts, while an office behind one
 *   address still signs in 30 people a minute;
 * - sign-up, 10 per IP: nobody signs up more than a few times, scripts making accounts do;
 * - emails, 5 per address (sign-up, confirmation resend, reset link), 10 per IP (resend,
 *   reset): enough for a person who asks again, too few to flood someone's inbox. Auth
 *   itself also sends one email per address a minute at most.
 */
export function authLimits() {
  const e = env();
  const windowSeconds = e.AUTH_RATE_LIMIT_WINDOW_SECONDS;
  const limit = (bucket: string, count: number): RateLimit => ({ bucket, limit: count, windowSeconds });
  return {
    signInPerEmail: limit("auth.sign-in.email", e.AUTH_SIGN_IN_LIMIT_PER_EMAIL),
    signInPerIp: limit("auth.sign-in.ip", e.AUTH_SIGN_IN_LIMIT_PER_IP),
    signUpPerIp: limit("auth.sign-up.ip", e.AUTH_SIGN_UP_LIMIT_PER_IP),
    emailPerAddress: limit("auth.email.address", e.AUTH_EMAIL_LIMIT_PER_ADDRESS),
    emailPerIp: limit("auth.email.ip", e.AUTH_EMAIL_LIMIT_PER_IP),
  };
}
