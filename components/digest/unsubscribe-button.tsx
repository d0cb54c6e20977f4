"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type State = "idle" | "pending" | "done" | "error";

/** Confirms the unsubscribe with a click: link scanners follow links, they don't press buttons. */
export function UnsubscribeButton({ token }: { token: string }) {
  const [state, setState] = useState<State>("idle");

  async function unsubscribe() {
    setState("pending");
    const response = await fetch(`/api/digest/unsubscribe?token=${encodeURIComponent(token)}`, { method: "POST" }).catch(
      () => null,
    );
    setState(response?.ok ? "done" : "error");
  }

  if (state === "done") {
    return (
      <Alert tone="success">
        You won&apos;t get the daily digest any more. You can turn it back on in{" "}
        <Link href="/dashboard/settings" className="font-medium underline">
          your settings
        </Link>
        .
      </Alert>
    );
  }
  return (
    <div className="space-y-4">
      {state === "error" && <Alert tone="error">That didn&apos;t work. Please try again.</Alert>}
      <Button onClick={unsubscribe} pending={state === "pending"} pendingLabel="Unsubscribing…" className="w-full">
        Unsubscribe from the daily digest
      </Button>
    </div>
  );
}
