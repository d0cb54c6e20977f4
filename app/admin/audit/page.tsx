import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit-log";
import { PageHeader } from "@/components/ui/page-header";
import { requireViewerAdminScope } from "@/lib/admin/access";
import { listAudit } from "@/lib/admin/audit";
import { AUDIT_PAGE_SIZE } from "@/lib/admin/schemas";
import { requireViewer } from "@/lib/auth/viewer";
import { createServiceSupabase } from "@/lib/supabase/service";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const [viewer, scope] = await Promise.all([requireViewer(), requireViewerAdminScope()]);
  const firstPage = await listAudit(createServiceSupabase(), scope, { limit: AUDIT_PAGE_SIZE });

  return (
    <div className="space-y-8">
      <PageHeader
        title="Audit log"
        description={
          scope.platformAdmin
            ? "Every admin action on this install, newest first."
            : "Admin actions on your organisations, and your own, newest first."
        }
      />
      <AuditLog firstPage={firstPage} timeZone={viewer.timeZone} />
    </div>
  );
}
