import type { Metadata } from "next";
import Link from "next/link";
import { DeleteTeam } from "@/components/teams/delete-team";
import { LeaveTeam } from "@/components/teams/leave-team";
import { canInvite, roleLabels } from "@/components/teams/roles";
import { TeamInvitations } from "@/components/teams/team-invitations";
import { TeamMembers } from "@/components/teams/team-members";
import { TeamSettingsForm } from "@/components/teams/team-settings-form";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { createServerSupabase } from "@/lib/supabase/server";
import { listInvitations } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/members";

export const metadata: Metadata = { title: "Team" };

/** The current organisation's people: members and roles, invitations, its name, leaving and deleting it. */
export default async function TeamPage() {
  const viewer = await requireViewer();
  const { organisation, role } = viewer.membership;

  if (organisation.personal) {
    return (
      <div className="space-y-8">
        <PageHeader title="Team" description="Work together: share jobs and reports with the people in a team." />
        <Card id="personal-workspace" title="This is your personal workspace">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Only you are in {organisation.name}, and nobody can be invited to it. Create a team to work with others; you
            switch between your workspace and your teams in the header.
          </p>
          <Link href="/dashboard/teams/new" className={buttonClass("primary", "mt-6")}>
            Create a team
          </Link>
        </Card>
      </div>
    );
  }

  const db = await createServerSupabase();
  const [members, invitations] = await Promise.all([
    listMembers(db, { orgId: organisation.id }),
    canInvite(role) ? listInvitations(db, { orgId: organisation.id }) : Promise.resolve(null),
  ]);
  const slug = organisation.slug ?? "";

  return (
    <div className="space-y-8">
      <PageHeader
        title={organisation.name}
        description={
          <>
            Team <span className="font-mono text-sm">{slug}</span> · you are {roleLabels[role].toLowerCase()}
          </>
        }
      />

      <Card id="team-members" title="Members" description="Everyone here sees and requests the team's jobs and reports.">
        <TeamMembers
          orgId={organisation.id}
          teamName={organisation.name}
          viewerId={viewer.user.id}
          viewerRole={role}
          timeZone={viewer.timeZone}
          initial={members}
        />
      </Card>

      {invitations && (
        <Card id="team-invitations" title="Invitations" description="Invite people by email; the link works for seven days.">
          <TeamInvitations
            orgId={organisation.id}
            teamName={organisation.name}
            viewerRole={role}
            timeZone={viewer.timeZone}
            initial={invitations}
          />
        </Card>
      )}

      {canInvite(role) && (
        <Card id="team-settings" title="Name and slug">
          <TeamSettingsForm orgId={organisation.id} name={organisation.name} slug={slug} />
        </Card>
      )}

      <Card id="team-leave" title="Leave the team" description="You go back to your personal workspace.">
        <LeaveTeam orgId={organisation.id} viewerId={viewer.user.id} teamName={organisation.name} />
      </Card>

      {role === "owner" && (
        <Card
          id="team-delete"
          title="Delete the team"
          description="Deletes the team with its jobs and reports, for every member. This can't be undone."
        >
          <DeleteTeam orgId={organisation.id} name={organisation.name} slug={slug} />
        </Card>
      )}
    </div>
  );
}
