import { resendConfirmation } from "@/lib/auth/accounts";
import { emailOnlySchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/**
 * 202 `{ sent: true }`: if the address has an unconfirmed account, a new confirmation
 * link is on its way; the answer is the same otherwise, so nobody learns who has an
 * account. 429 with `Retry-After` when asked again too soon (Supabase Auth's limit).
 */
export const POST = route({ auth: false, body: emailOnlySchema }, async ({ supabase, body }) => {
  await resendConfirmation(supabase, body.email);
  return Response.json({ sent: true }, { status: 202 });
});
