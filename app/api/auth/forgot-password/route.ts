import { requestPasswordReset } from "@/lib/auth/accounts";
import { emailOnlySchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/**
 * 202 `{ sent: true }`: a reset link goes to the address if it has an account, and the
 * answer is the same if not. 429 with `Retry-After` when asked again too soon.
 */
export const POST = route({ auth: false, body: emailOnlySchema }, async ({ supabase, body }) => {
  await requestPasswordReset(supabase, body.email);
  return Response.json({ sent: true }, { status: 202 });
});
