"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function AdminJobError(props: RouteErrorProps) {
  return <RouteError {...props} title="We couldn't load this job" detail="Nothing was changed. Try again in a moment." />;
}
