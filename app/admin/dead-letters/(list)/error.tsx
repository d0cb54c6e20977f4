"use client";

import { RouteError, type RouteErrorProps } from "@/components/ui/route-error";

export default function DeadLettersError(props: RouteErrorProps) {
  return <RouteError {...props} title="We couldn't load the dead letters" detail="Nothing was changed. Try again in a moment." />;
}
