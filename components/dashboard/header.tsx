import { Logo } from "@/components/logo";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { OrganisationSwitcher } from "@/components/teams/organisation-switcher";
import type { Viewer } from "@/lib/auth/viewer";
import { SectionNav, type NavLink } from "./nav";
import { SignOutButton } from "./sign-out-button";

/**
 * The signed-in header: the organisation (and a switch to the others), the notifications
 * bell, who is signed in, and the section's tabs.
 */
export function DashboardHeader({ viewer, nav }: { viewer: Viewer; nav: { label: string; links: NavLink[] } }) {
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800 bg-white dark:bg-zinc-900">
      <div className="mx-auto max-w-6xl px-6">
        <div className="flex flex-wrap items-center justify-between gap-4 pt-4">
          <div className="flex items-center gap-3">
            <Logo href="/dashboard" />
            <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-600">
              /
            </span>
            <OrganisationSwitcher current={viewer.membership} memberships={viewer.memberships} />
          </div>
          <div className="flex items-center gap-4">
            <NotificationBell timeZone={viewer.timeZone} />
            <p className="text-right text-sm leading-tight">
              <span className="block font-medium text-zinc-900 dark:text-zinc-100">{viewer.displayName}</span>
              {viewer.displayName !== viewer.email && (
                <span className="hidden text-zinc-500 dark:text-zinc-400 sm:block">{viewer.email}</span>
              )}
            </p>
            <SignOutButton />
          </div>
        </div>
        <SectionNav label={nav.label} links={nav.links} />
      </div>
    </header>
  );
}
