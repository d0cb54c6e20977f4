import { z } from "zod";
import { inngest } from "@/inngest/client";
import { cronRunRequested, manualCrons } from "@/inngest/events";
import { recordAudit } from "@/lib/admin/audit";
import type { CronRunStarted } from "@/lib/admin/crons";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { functionRunsUrl } from "@/lib/jobs/run-page";

/**
 * Runs a cron now (platform admins only; 404 for everyone else): 202 `{ eventId,
 * startedAt, runsUrl }` (`runsUrl`: the function's runs on a dev server, else null). The
 * run is an ordinary one of the cron's function, so it is as safe as the scheduled run:
 * the digest sends nobody a second digest that day, cleanup deletes only what is due.
 */
export const POST = route(
  { auth: "platform-admin", params: z.object({ id: z.enum(manualCrons) }) },
  async ({ scope, user, params, service }) => {
    // Audit first: an action that can't be recorded doesn't happen.
    await recordAudit(service(), scope, { action: "cron.run", details: { cron: params.id } });
    const startedAt = new Date().toISOString();
    const { ids } = await inngest.send(cronRunRequested.create({ cron: params.id, requestedBy: user.id }));
    const runsUrl = functionRunsUrl(`${inngest.id}-${params.id}`, env().INNGEST_DEV);
    return Response.json({ eventId: ids[0], startedAt, runsUrl } satisfies CronRunStarted, { status: 202 });
  },
);
