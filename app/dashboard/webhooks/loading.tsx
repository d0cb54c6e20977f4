import { PageSkeleton } from "@/components/dashboard/page-skeleton";

export default PageSkeleton;
