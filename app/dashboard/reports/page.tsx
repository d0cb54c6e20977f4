import type { Metadata } from "next";
import { JobList } from "@/components/jobs/job-list";
import { ReportForm } from "@/components/reports/report-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { jobTypes } from "@/lib/jobs/registry";
import { addDaysToDate, localToday } from "@/lib/reports/request";
import { loadFirstJobPage } from "../jobs/load";
import { AllJobsLink } from "@/components/jobs/all-jobs-link";

export const metadata: Metadata = { title: "Reports" };

const DEFAULT_RANGE_DAYS = 30;

/** Today in `timeZone` as YYYY-MM-DD, and the day `DEFAULT_RANGE_DAYS` back, inclusive. */
function defaultRange(timeZone: string, now = new Date()): { from: string; to: string } {
  const to = localToday(timeZone, now);
  return { from: addDaysToDate(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

export default async function ReportsPage() {
  const viewer = await requireViewer();
  const firstPage = await loadFirstJobPage(viewer.membership.organisation.id, jobTypes.report.type);
  const range = defaultRange(viewer.timeZone);

  return (
    <div className="space-y-8">
      <PageHeader
        title="Reports"
        description={
          <>
            Export your workspace&apos;s activity as a spreadsheet. Reports run in the background:
            watch one run, or have us email you when it&apos;s ready.
          </>
        }
      />

      <Card id="new-report" title="New report">
        <ReportForm
          defaultFrom={range.from}
          defaultTo={range.to}
          timeZone={viewer.timeZone}
          email={viewer.email}
        />
      </Card>

      <JobList
        type={jobTypes.report.type}
        firstPage={firstPage}
        timeZone={viewer.timeZone}
        heading="Recent reports"
        empty={{
          title: "No reports yet",
          description:
            "Reports you request appear here with their progress, and stay available to download.",
        }}
        action={<AllJobsLink />}
      />
    </div>
  );
}
