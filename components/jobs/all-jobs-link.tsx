import Link from "next/link";
import { textLinkClass } from "@/components/ui/text-link";

/** The way from a list of some jobs (recent ones, reports) to all of them. */
export function AllJobsLink() {
  return (
    <Link href="/dashboard/jobs" className={`text-sm font-medium ${textLinkClass}`}>
      All jobs
    </Link>
  );
}
