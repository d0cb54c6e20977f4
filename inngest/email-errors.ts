import { NonRetriableError, RetryAfterError } from "inngest";
import { EmailSendError } from "@/lib/email/send";

/**
 * Runs a send with Resend's failures turned into Inngest's retry policy: a rejected
 * message fails at once, a rate limit waits as long as Resend says, anything else is
 * retried with backoff. `what` names the email in the error.
 */
export async function withEmailRetryPolicy<T>(send: () => Promise<T>, what: string): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof EmailSendError)) throw error;
    const { failure } = error;
    if (failure.kind === "permanent") {
      throw new NonRetriableError(`Resend rejected ${what} (${failure.status}): ${failure.message}`);
    }
    // Retrying can't change Resend's answer; a caller that knows the email went catches it first.
    if (failure.kind === "already_sent") {
      throw new NonRetriableError(`Resend already sent ${what} with this idempotency key: ${failure.message}`);
    }
    if (failure.kind === "rate_limited") {
      throw new RetryAfterError(`Resend rate limit: ${failure.message}`, `${failure.retryAfterSeconds}s`);
    }
    throw error;
  }
}
