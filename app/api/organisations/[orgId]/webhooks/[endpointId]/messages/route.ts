import { route } from "@/lib/http/route";
import { listMessages } from "@/lib/webhooks/log";
import { endpointParams, messagesQuerySchema } from "@/lib/webhooks/schemas";

/** The endpoint's delivery log, newest first: `{ messages, nextCursor }` (?status, ?eventType, ?before, ?limit). */
export const GET = route({ params: endpointParams, query: messagesQuerySchema }, async ({ supabase, params, query }) => {
  const page = await listMessages(supabase, { ...params, ...query });
  return Response.json(page);
});
