import { createServiceSupabase } from "@/lib/supabase/service";
import { describeWait } from "@/lib/duration";
import { rateLimitedError, takeKeyedRateLimitToken, type RateLimit } from "./limiter";
import { authLimits } from "./limits";

/**
 * Throttles the doors an attacker knocks on without an account: sign-in, sign-up and the
 * emails Auth sends. Each takes a token per client IP, then per email address; a refusal
 * is a 429 with Retry-After. Both answers are the same whether or not the address has an
 * account, so a 429 says nothing about who does.
 */

/** Who is asking: the client's IP (see clientIp) and the address they typed. */
export type AuthCaller = { ip: string; email: string };

async function take(limit: RateLimit, key: string, message: string): Promise<void> {
  const decision = await takeKeyedRateLimitToken(createServiceSupabase(), limit, key);
  if (!decision.allowed) {
    throw rateLimitedError(decision.retryAfterSeconds, `${message} Wait ${describeWait(decision.retryAfterSeconds)} and try again.`);
  }
}

/**
 * Before a sign-in. The returned function gives the address's token back once the sign-in
 * succeeded: only failures count against an address, so a flood of wrong passwords slows
 * the guesser, not the owner, who gets in as soon as the bucket has a token again.
 */
export async function throttleSignIn(caller: AuthCaller): Promise<{ succeeded: () => Promise<void> }> {
  const limits = authLimits();
  const message = "Too many sign-in attempts.";
  await take(limits.signInPerIp, caller.ip, message);
  await take(limits.signInPerEmail, caller.email, message);
  return {
    succeeded: async () => {
      await takeKeyedRateLimitToken(createServiceSupabase(), limits.signInPerEmail, caller.email, { cost: -1 });
    },
  };
}

export async function throttleSignUp(caller: AuthCaller): Promise<void> {
  const limits = authLimits();
  await take(limits.signUpPerIp, caller.ip, "Too many sign-ups from your network.");
  await take(limits.emailPerAddress, caller.email, "Too many emails asked for this address.");
}

/** Before a confirmation resend or a password reset link. */
export async function throttleAuthEmail(caller: AuthCaller): Promise<void> {
  const limits = authLimits();
  await take(limits.emailPerIp, caller.ip, "Too many emails asked for from your network.");
  await take(limits.emailPerAddress, caller.email, "Too many emails asked for this address.");
}
