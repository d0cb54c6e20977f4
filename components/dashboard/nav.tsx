"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/dashboard/reports", label: "Reports" },
  { href: "/dashboard/jobs", label: "Jobs" },
  { href: "/dashboard/settings", label: "Settings" },
];

/** "page" on the link to this very page; "true" on the section it is in (a job's page is in Jobs). */
function currentFor(href: string, pathname: string): "page" | "true" | undefined {
  if (pathname === href) return "page";
  if (href !== "/dashboard" && pathname.startsWith(`${href}/`)) return "true";
  return undefined;
}

export function DashboardNav() {
  const pathname = usePathname();

  return (
    <nav aria-label="Dashboard" className="-mb-px flex gap-6">
      {links.map(({ href, label }) => (
        <Link
          key={href}
          href={href}
          aria-current={currentFor(href, pathname)}
          className="border-b-2 border-transparent py-3 text-sm font-medium text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 aria-[current]:border-brand-600 aria-[current]:text-zinc-900"
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
