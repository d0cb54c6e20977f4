import type { ReactNode } from "react";
import { DashboardHeader } from "@/components/dashboard/header";
import { requireViewer } from "@/lib/auth/viewer";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // The proxy already keeps signed-out visitors away; this holds even if its matcher changes.
  const viewer = await requireViewer();

  return (
    <div className="min-h-dvh bg-zinc-50">
      <DashboardHeader viewer={viewer} />
      <main id="main" className="mx-auto max-w-6xl px-6 py-10">
        {children}
      </main>
    </div>
  );
}
