import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { WebhookEndpoints } from "@/components/webhooks/webhook-endpoints";
import { requireViewer } from "@/lib/auth/viewer";
import { createServerSupabase } from "@/lib/supabase/server";
import { listEndpoints } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks" };

/** The current organisation's webhook endpoints, for its owners and admins (a 404 for members, as the API). */
export default async function WebhooksPage() {
  const viewer = await requireViewer();
  const { organisation, role } = viewer.membership;
  if (role === "member") notFound();
  const endpoints = await listEndpoints(await createServerSupabase(), { orgId: organisation.id });

  return (
    <div className="space-y-8">
      <PageHeader
        title="Webhooks"
        description={`Tell your own systems when ${organisation.name}'s jobs end: we POST a signed JSON message to each endpoint.`}
      />
      <Card id="webhook-endpoints" title="Endpoints" description="Each message is signed with the endpoint's secret and retried for about a day if your server doesn't answer 2xx.">
        <WebhookEndpoints orgId={organisation.id} timeZone={viewer.timeZone} initial={endpoints} />
      </Card>
    </div>
  );
}
