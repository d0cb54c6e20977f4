import type { Metadata } from "next";
import { requireViewerAdminScope } from "@/lib/admin/access";

export const metadata: Metadata = { title: "Overview" };

export default async function AdminOverviewPage() {
  const scope = await requireViewerAdminScope();
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Operations</h1>
      <p className="mt-1 text-zinc-600">
        {scope.platformAdmin ? "Every organisation on this install." : "The organisations you administer."}
      </p>
    </div>
  );
}
