import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { textLinkClass } from "@/components/ui/text-link";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { requireViewer } from "@/lib/auth/viewer";
import { HttpError } from "@/lib/http/errors";
import { createServerSupabase } from "@/lib/supabase/server";
import { getEndpoint } from "@/lib/webhooks/endpoints";
import { listMessages } from "@/lib/webhooks/log";
import { endpointParams } from "@/lib/webhooks/schemas";

export const metadata: Metadata = { title: "Delivery log" };

/** One endpoint's delivery log, in the current organisation (a 404 for anything else, as the API). */
export default async function EndpointPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const viewer = await requireViewer();
  const { organisation, role } = viewer.membership;
  const parsed = endpointParams.safeParse({ orgId: organisation.id, endpointId: (await params).endpointId });
  if (role === "member" || !parsed.success) notFound();
  const db = await createServerSupabase();
  const [endpoint, page] = await Promise.all([
    getEndpoint(db, parsed.data),
    listMessages(db, { ...parsed.data, limit: 25 }),
  ]).catch((error: unknown) => {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  });

  return (
    <div className="space-y-8">
      <div>
        <Link href="/dashboard/webhooks" className={`text-sm font-medium ${textLinkClass}`}>
          ← All endpoints
        </Link>
      </div>
      <PageHeader
        title="Delivery log"
        description={
          <>
            <span className="font-mono text-sm break-all">{endpoint.url}</span>
            {endpoint.description && <> · {endpoint.description}</>}
            {!endpoint.enabled && <> · off</>}
          </>
        }
      />
      <Card id="webhook-messages" title="Messages" description="Newest first. Open one to see each attempt: when, the answer's status, how long it took, and what came back.">
        <DeliveryLog orgId={organisation.id} endpointId={endpoint.id} timeZone={viewer.timeZone} initial={page} />
      </Card>
    </div>
  );
}
