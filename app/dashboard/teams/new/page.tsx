import type { Metadata } from "next";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Create a team" };

export default function NewTeamPage() {
  return (
    <div className="space-y-8">
      <PageHeader
        title="Create a team"
        description="A workspace to share with others. You become its owner, and can invite people once it exists."
      />
      <Card id="new-team" title="The team">
        <CreateTeamForm />
      </Card>
    </div>
  );
}
