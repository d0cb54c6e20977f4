import type { Metadata } from "next";
import { JobList } from "@/components/jobs/job-list";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { loadFirstJobPage } from "../load";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage() {
  const viewer = await requireViewer();
  const { organisation } = viewer.membership;
  const firstPage = await loadFirstJobPage(organisation.id);

  return (
    <div className="space-y-8">
      <PageHeader
        title="Jobs"
        description={`Everything ${organisation.name} has running in the background, newest first.`}
      />
      <JobList
        firstPage={firstPage}
        timeZone={viewer.timeZone}
        heading="All jobs"
        empty={{
          title: "No jobs yet",
          description:
            "Background work you start, such as reports, will appear here with its progress.",
        }}
      />
    </div>
  );
}
