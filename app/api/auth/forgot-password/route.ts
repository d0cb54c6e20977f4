import { requestPasswordReset } from "@/lib/auth/accounts";
import { emailOnlySchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { clientIp } from "@/lib/rate-limit/client-ip";

/**
 * 202 `{ sent: true }`: a reset link goes to the address if it has an account, and the
 * answer is the same if not (and when asked again within a minute, when Auth sends no
 * second email). 429 with `Retry-After` after too many requests from the caller's IP or
 * for the address, for every address alike.
 */
export const POST = route({ auth: false, body: emailOnlySchema }, async ({ request, supabase, body }) => {
  await requestPasswordReset(supabase, body.email, clientIp(request));
  return Response.json({ sent: true }, { status: 202 });
});
