import { signIn } from "@/lib/auth/accounts";
import { signInSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { clientIp } from "@/lib/rate-limit/client-ip";

/**
 * 200 `{ user: { id, email } }`, with the session in cookies; 401 for a wrong password and
 * an unknown address alike. 429 with `Retry-After` after too many attempts from the
 * caller's IP or failed ones for the address.
 */
export const POST = route({ auth: false, body: signInSchema }, async ({ request, supabase, body }) => {
  const user = await signIn(supabase, body, clientIp(request));
  return Response.json({ user: { id: user.id, email: user.email } });
});
