import { checkAlerts } from "./check-alerts";
import { cleanupJobs } from "./cleanup-jobs";
import { dailyDigest } from "./daily-digest";
import { deliverWebhook } from "./deliver-webhook";
import { endCancelledJobs } from "./end-cancelled-jobs";
import { generateReport } from "./generate-report";
import { sendDigestEmail } from "./send-digest";
import { sendInvitation } from "./send-invitation";
import { webhookJobEvents } from "./webhook-job-events";
import { welcomeEmail } from "./welcome-email";

/** Every function the app serves at /api/inngest. Add new ones here. */
export const functions = [welcomeEmail, generateReport, dailyDigest, sendDigestEmail, sendInvitation, cleanupJobs, checkAlerts, endCancelledJobs, webhookJobEvents, deliverWebhook];
