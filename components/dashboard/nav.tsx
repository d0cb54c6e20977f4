"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string };

/**
 * "page" on the link to this very page; "true" on the section it is in (a job's page is
 * in Jobs). The first link is the section's home, current only on itself.
 */
function currentFor(href: string, pathname: string, home: string): "page" | "true" | undefined {
  if (pathname === href) return "page";
  if (href !== home && pathname.startsWith(`${href}/`)) return "true";
  return undefined;
}

/** The tabs under the header: the dashboard's, or the admin console's. */
export function SectionNav({ label, links }: { label: string; links: NavLink[] }) {
  const pathname = usePathname();
  const home = links[0]?.href;

  return (
    <nav aria-label={label} className="-mb-px flex flex-wrap gap-x-6">
      {links.map(({ href, label }) => (
        <Link
          key={href}
          href={href}
          aria-current={currentFor(href, pathname, home ?? href)}
          className="border-b-2 border-transparent py-3 text-sm font-medium text-zinc-600 dark:text-zinc-400 hover:border-zinc-300 dark:hover:border-zinc-600 hover:text-zinc-900 dark:hover:text-white aria-[current]:border-brand-600 dark:aria-[current]:border-brand-400 aria-[current]:text-zinc-900 dark:aria-[current]:text-white"
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
