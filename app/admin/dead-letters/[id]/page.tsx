import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminJobDetail } from "@/components/admin/admin-job-detail";
import { requireViewerAdminScope } from "@/lib/admin/access";
import { getAdminJob } from "@/lib/admin/dead-letters";
import { requireViewer } from "@/lib/auth/viewer";
import { createServiceSupabase } from "@/lib/supabase/service";

export const metadata: Metadata = { title: "Job" };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Props = { params: Promise<{ id: string }> };

export default async function AdminJobPage({ params }: Props) {
  const { id } = await params;
  if (!uuid.test(id)) notFound();
  const [viewer, scope] = await Promise.all([requireViewer(), requireViewerAdminScope()]);
  // Another organisation's job is one that doesn't exist.
  const job = await getAdminJob(createServiceSupabase(), scope, id);
  if (!job) notFound();
  return <AdminJobDetail initial={job} timeZone={viewer.timeZone} />;
}
