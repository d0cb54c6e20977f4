import { route } from "@/lib/http/route";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { createEndpointSchema, webhooksParams } from "@/lib/webhooks/schemas";

/** The organisation's webhook endpoints `{ endpoints }`, never their secrets (owners and admins). */
export const GET = route({ params: webhooksParams }, async ({ supabase, params }) => {
  const endpoints = await listEndpoints(supabase, params);
  return Response.json({ endpoints });
});

/**
 * Registers `{ url, description?, eventTypes }`: 201 `{ endpoint, secret }`, the signing
 * secret's only showing. A URL that may not receive webhooks is a 422 `unsafe_url`.
 */
export const POST = route({ params: webhooksParams, body: createEndpointSchema }, async ({ supabase, service, user, params, body }) => {
  const created = await createEndpoint(supabase, { orgId: params.orgId, ...body }, { actor: { userId: user.id, email: user.email }, service: service() });
  return Response.json(created, { status: 201 });
});
