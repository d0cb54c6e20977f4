import { route } from "@/lib/http/route";
import { deleteEndpoint, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { endpointParams, updateEndpointSchema } from "@/lib/webhooks/schemas";

/** One endpoint `{ endpoint }` (owners and admins). */
export const GET = route({ params: endpointParams }, async ({ supabase, params }) => {
  const endpoint = await getEndpoint(supabase, params);
  return Response.json({ endpoint });
});

/** Changes `{ url?, description?, eventTypes?, enabled? }`; turning it on again forgets its failures. */
export const PATCH = route({ params: endpointParams, body: updateEndpointSchema }, async ({ supabase, params, body }) => {
  const endpoint = await updateEndpoint(supabase, { ...params, ...body });
  return Response.json({ endpoint });
});

/** Deletes the endpoint with its delivery log: 204. */
export const DELETE = route({ params: endpointParams }, async ({ supabase, service, user, params }) => {
  await deleteEndpoint(supabase, params, { actor: { userId: user.id, email: user.email }, service: service() });
  return new Response(null, { status: 204 });
});
