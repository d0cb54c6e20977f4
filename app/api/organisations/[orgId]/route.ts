import { inngest } from "@/inngest/client";
import { teamDeleted, teamDeletedEventId } from "@/inngest/events";
import { route } from "@/lib/http/route";
import { deleteTeam, renameTeam } from "@/lib/teams/organisations";
import { orgParams, renameTeamSchema } from "@/lib/teams/schemas";
import { log } from "@/lib/observability/log";

/** Renames a team `{ name?, slug? }` (owners and admins). */
export const PATCH = route({ params: orgParams, body: renameTeamSchema }, async ({ supabase, params, body }) => {
  const organisation = await renameTeam(supabase, { orgId: params.orgId, ...body });
  return Response.json({ organisation });
});

/**
 * Deletes a team with its jobs and reports (owners); the audit log keeps a record. Then
 * `app/team.deleted` cancels the team's queued and running work (generate-report,
 * send-invitation). The team is gone either way: if that event can't be sent, its runs
 * find nothing to work on and end untracked (inngest/job-mirror.ts), so it is logged, not
 * answered as a failure.
 */
export const DELETE = route({ params: orgParams }, async ({ supabase, params }) => {
  await deleteTeam(supabase, params);
  try {
    await inngest.send(teamDeleted.create({ orgId: params.orgId }, { id: teamDeletedEventId(params.orgId) }));
  } catch (error) {
    log().error({ err: error, orgId: params.orgId }, "a team was deleted, but its runs could not be told to stop");
  }
  return new Response(null, { status: 204 });
});
