import { resendConfirmation } from "@/lib/auth/accounts";
import { emailOnlySchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { clientIp } from "@/lib/rate-limit/client-ip";

/**
 * 202 `{ sent: true }`: if the address has an unconfirmed account, a new confirmation
 * link is on its way; the answer is the same otherwise, so nobody learns who has an
 * account; asked again within a minute, it is the same answer and no second email (Auth's
 * limit). 429 with `Retry-After` after too many requests from the caller's IP or for the
 * address, for every address alike.
 */
export const POST = route({ auth: false, body: emailOnlySchema }, async ({ request, supabase, body }) => {
  await resendConfirmation(supabase, body.email, clientIp(request));
  return Response.json({ sent: true }, { status: 202 });
});
