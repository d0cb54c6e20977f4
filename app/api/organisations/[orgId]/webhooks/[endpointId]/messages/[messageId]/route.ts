import { route } from "@/lib/http/route";
import { getMessage } from "@/lib/webhooks/log";
import { messageParams } from "@/lib/webhooks/schemas";

/** One message with its payload and attempts `{ message, attempts }`. */
export const GET = route({ params: messageParams }, async ({ supabase, params }) => {
  const found = await getMessage(supabase, params);
  return Response.json(found);
});
