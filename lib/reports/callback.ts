import type { Db } from "@/lib/supabase/db";
import { webhooksError } from "@/lib/webhooks/endpoints";
import { listAttempts, messageColumns, toMessage, type WebhookAttempt, type WebhookMessage } from "@/lib/webhooks/log";

/**
 * A report's callback as its asker reads it: where the report's end is sent and how each
 * try went. The callback is a webhook endpoint of the job's own (20261204000000_report_callbacks.sql),
 * which row-level security keeps from the team's admins, so this reads it with the server's
 * client: the route says who may ask.
 */
export type ReportCallbackDelivery = {
  url: string;
  /** The report's end as it is sent: report.ready, job.failed or job.cancelled. None until it ends. */
  messages: { message: WebhookMessage; attempts: WebhookAttempt[] }[];
};

export async function getReportCallback(service: Db, { jobId }: { jobId: string }): Promise<ReportCallbackDelivery | null> {
  const endpoint = await service.from("webhook_endpoints").select("id, url").eq("job_id", jobId).maybeSingle();
  if (endpoint.error) throw webhooksError("read the report's callback", endpoint.error);
  if (!endpoint.data) return null;
  const messages = await service
    .from("webhook_messages")
    .select(messageColumns)
    .eq("endpoint_id", endpoint.data.id)
    .order("created_at")
    .order("id");
  if (messages.error) throw webhooksError("read the report's callback", messages.error);
  return {
    url: endpoint.data.url,
    messages: await Promise.all(
      messages.data.map(async (row) => ({ message: toMessage(row), attempts: await listAttempts(service, { messageId: row.id }) })),
    ),
  };
}
