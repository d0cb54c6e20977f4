import type { NavLink } from "./nav";

/**
 * The dashboard's tabs. Here rather than in nav.tsx: a "use client" module's exports are
 * references on the server, so a server layout couldn't read or extend this list there.
 */
export const dashboardLinks: NavLink[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/dashboard/reports", label: "Reports" },
  { href: "/dashboard/jobs", label: "Jobs" },
  { href: "/dashboard/team", label: "Team" },
  { href: "/dashboard/settings", label: "Settings" },
];
