"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function JobError(props: RouteErrorProps) {
  return <RouteError {...props} title="We couldn't load this job" detail="This doesn't affect the job itself. Try again in a moment." back={{ href: "/dashboard/jobs", label: "All jobs" }} />;
}
