import { inngest } from "@/inngest/client";
import { route } from "@/lib/http/route";
import { createTestMessage, queueDeliveries } from "@/lib/webhooks/endpoints";
import { endpointParams } from "@/lib/webhooks/schemas";

/** Sends a `webhook.test` event to the endpoint: 202 `{ messageId }`, to follow in its log. */
export const POST = route({ params: endpointParams }, async ({ supabase, service, params }) => {
  const message = await createTestMessage(supabase, params);
  await queueDeliveries(service(), [message], (events) => inngest.send(events));
  return Response.json({ messageId: message.messageId }, { status: 202 });
});
