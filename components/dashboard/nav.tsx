"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// Add Reports, Jobs and Settings here as their pages arrive.
const links = [{ href: "/dashboard", label: "Dashboard" }];

export function DashboardNav() {
  const pathname = usePathname();

  return (
    <nav aria-label="Dashboard" className="-mb-px flex gap-6">
      {links.map(({ href, label }) => {
        const current = pathname === href;
        return (
          <Link
            key={href}
            href={href}
            aria-current={current ? "page" : undefined}
            className="border-b-2 border-transparent py-3 text-sm font-medium text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 aria-[current=page]:border-brand-600 aria-[current=page]:text-zinc-900"
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
