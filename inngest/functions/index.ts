import { cleanupJobs } from "./cleanup-jobs";
import { generateReport } from "./generate-report";
import { welcomeEmail } from "./welcome-email";

/** Every function the app serves at /api/inngest. Add new ones here. */
export const functions = [welcomeEmail, generateReport, cleanupJobs];
