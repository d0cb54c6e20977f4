import { route } from "@/lib/http/route";
import { rotateSecret } from "@/lib/webhooks/endpoints";
import { endpointParams } from "@/lib/webhooks/schemas";

/** A new signing secret `{ secret, previousExpiresAt }`: the old one signs too until then. */
export const POST = route({ params: endpointParams }, async ({ supabase, service, user, params }) => {
  const rotated = await rotateSecret(supabase, params, { actor: { userId: user.id, email: user.email }, service: service() });
  return Response.json(rotated);
});
