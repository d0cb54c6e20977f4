"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function EndpointError(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="We couldn't load this delivery log"
      detail="Messages are still sent. Try again in a moment."
      back={{ href: "/dashboard/webhooks", label: "All endpoints" }}
    />
  );
}
