import Link from "next/link";

export function Logo({ href = "/" }: { href?: string }) {
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-brand-600 dark:focus-visible:outline-brand-400"
    >
      <span aria-hidden="true" className="grid size-7 place-items-center rounded-lg bg-brand-600 text-sm text-white">
        O
      </span>
      Offload
    </Link>
  );
}
