"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function DashboardError(props: RouteErrorProps) {
  return <RouteError {...props} title="We couldn't load this page" detail="Something went wrong on our side. Try again in a moment." />;
}
