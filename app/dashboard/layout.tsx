import type { ReactNode } from "react";
import { DashboardHeader } from "@/components/dashboard/header";
import { dashboardLinks } from "@/components/dashboard/links";
import { PageOrganisation } from "@/components/teams/page-organisation";
import { getViewerAdminScope } from "@/lib/admin/access";
import { requireViewer } from "@/lib/auth/viewer";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // The proxy already keeps signed-out visitors away; this holds even if its matcher changes.
  const [viewer, adminScope] = await Promise.all([requireViewer(), getViewerAdminScope()]);
  // Webhooks are for the people who manage the organisation, as the API has it; before Settings.
  const managed =
    viewer.membership.role === "member"
      ? dashboardLinks
      : [...dashboardLinks.slice(0, -1), { href: "/dashboard/webhooks", label: "Webhooks" }, ...dashboardLinks.slice(-1)];
  const links = adminScope ? [...managed, { href: "/admin", label: "Admin" }] : managed;

  return (
    <div className="min-h-dvh bg-zinc-50 dark:bg-zinc-950">
      <DashboardHeader viewer={viewer} nav={{ label: "Dashboard", links }} />
      {/* Every request from this page names the organisation it shows; a stale tab is told to reload. */}
      <PageOrganisation orgId={viewer.membership.organisation.id} />
      <main id="main" className="mx-auto max-w-6xl px-6 py-10">
        {children}
      </main>
    </div>
  );
}
