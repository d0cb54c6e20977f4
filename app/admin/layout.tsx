import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AlertBanner } from "@/components/admin/alert-banner";
import { DashboardHeader } from "@/components/dashboard/header";
import type { NavLink } from "@/components/dashboard/nav";
import { requireViewerAdminScope } from "@/lib/admin/access";
import { requireViewer } from "@/lib/auth/viewer";

export const metadata: Metadata = { title: { template: "%s · Admin · Offload", default: "Admin · Offload" } };

const adminLinks: NavLink[] = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/dead-letters", label: "Dead letters" },
  { href: "/admin/audit", label: "Audit log" },
];
/** Install-wide, so only platform admins see it (others get 404 there). */
const platformLinks: NavLink[] = [{ href: "/admin/crons", label: "Crons" }];
const backLink: NavLink = { href: "/dashboard", label: "Back to dashboard" };

/**
 * The operations console. Guarded here, on the server, for every page below: signed-out
 * visitors go to sign-in, and anyone who administers nothing gets the not-found page.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  const scope = await requireViewerAdminScope();
  const links = [...adminLinks, ...(scope.platformAdmin ? platformLinks : []), backLink];

  return (
    <div className="min-h-dvh bg-zinc-50 dark:bg-zinc-950">
      <DashboardHeader viewer={viewer} nav={{ label: "Admin", links }} />
      <main id="main" className="mx-auto max-w-6xl px-6 py-10">
        <AlertBanner />
        {children}
      </main>
    </div>
  );
}
