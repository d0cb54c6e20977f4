"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function InvitationError(props: RouteErrorProps) {
  return (
    <RouteError
      {...props}
      title="We couldn't open this invitation"
      detail="The invitation itself is fine: try the link again in a moment."
    />
  );
}
