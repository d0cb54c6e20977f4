import type { Metadata } from "next";
import { JobPage } from "@/components/dashboard/job-page";

export const metadata: Metadata = { title: "Job" };

export default function JobRoute({ params }: { params: Promise<{ id: string }> }) {
  return <JobPage params={params} path={(id) => `/dashboard/jobs/${id}`} />;
}
