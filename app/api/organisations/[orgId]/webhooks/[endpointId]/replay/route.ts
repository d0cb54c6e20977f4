import { inngest } from "@/inngest/client";
import { route } from "@/lib/http/route";
import { queueDeliveries, replayMessages } from "@/lib/webhooks/endpoints";
import { endpointParams, replaySchema } from "@/lib/webhooks/schemas";

/**
 * Sends failed (or skipped) messages again, `{ messageId }` or all `{ since }` a time:
 * 202 `{ replayed }`. Each keeps its `webhook-id`, so receivers can tell a repeat.
 */
export const POST = route({ params: endpointParams, body: replaySchema }, async ({ supabase, service, user, params, body }) => {
  const messages = await replayMessages(supabase, { ...params, ...body }, { actor: { userId: user.id, email: user.email }, service: service() });
  await queueDeliveries(service(), messages, (events) => inngest.send(events));
  return Response.json({ replayed: messages.length }, { status: 202 });
});
