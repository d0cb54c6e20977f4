import { EmailSendError, sendEmail } from "@/lib/email/send";
import { WelcomeEmail, welcomeEmailSubject } from "@/lib/email/templates/welcome-email";
import { env } from "@/lib/env";
import { jobTypes } from "@/lib/jobs/registry";
import { getProfile } from "@/lib/profiles/profile";
import { markWelcomeSent } from "@/lib/profiles/welcome";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "../client";
import { withEmailRetryPolicy } from "../email-errors";
import { userSignedUp } from "../events";

const welcomeEmailJob = jobTypes["welcome-email"];

/**
 * One welcome email per user. Sign-up can deliver its event more than once and Inngest
 * retries, so sending is idempotent at three levels: the event id (derived from the user),
 * the function's idempotency key, and Resend's idempotency key. A rerun of a run that sent
 * it (from the runs page) finds `welcome_sent_at` set, or hears Resend's 409, and answers
 * `alreadySent: true` without sending.
 */
export const welcomeEmail = inngest.createFunction(
  {
    id: welcomeEmailJob.functionId,
    name: "Welcome email",
    triggers: [userSignedUp],
    // Once per user, except that an admin's replay of a failed one (it carries the job it
    // created, jobId) must get through. Resend's key below still makes it one email within 24 h.
    idempotency: "has(event.data.jobId) ? event.data.jobId : event.data.userId",
    retries: welcomeEmailJob.retries,
  },
  async ({ event, step }) => {
    const { userId } = event.data;

    const sent = await step.run("send-email", async (): Promise<WelcomeSent> => {
      const profile = await getProfile(createServiceSupabase(), { id: userId });
      // A rerun of a run that sent it: nothing to do, and nothing to fail.
      if (profile.welcome_sent_at) return ALREADY_SENT;
      return withEmailRetryPolicy(async () => {
        try {
          const { id } = await sendEmail({
            to: profile.email,
            subject: welcomeEmailSubject,
            body: WelcomeEmail({
              displayName: profile.display_name || profile.email,
              dashboardUrl: new URL("/dashboard", env().APP_URL).toString(),
            }),
            idempotencyKey: `welcome-email/${userId}`,
          });
          return { emailId: id, alreadySent: false };
        } catch (error) {
          // It went out before the run could record it, and the body has changed since
          // (e.g. the user renamed themselves): Resend's 409 says the key was used.
          if (error instanceof EmailSendError && error.failure.kind === "already_sent") return ALREADY_SENT;
          throw error;
        }
      }, "the welcome email");
    });

    await step.run("mark-profile", () => markWelcomeSent(createServiceSupabase(), { id: userId }));
    return sent;
  },
);

type WelcomeSent = { emailId: string | null; alreadySent: boolean };
const ALREADY_SENT: WelcomeSent = { emailId: null, alreadySent: true };
