import type { Metadata } from "next";
import { JobPage } from "@/components/dashboard/job-page";

export const metadata: Metadata = { title: "Report" };

/** A report's page: the job page, under Reports. */
export default function ReportRoute({ params }: { params: Promise<{ id: string }> }) {
  return <JobPage params={params} path={(id) => `/dashboard/reports/${id}`} />;
}
