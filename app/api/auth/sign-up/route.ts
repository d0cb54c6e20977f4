import { signUp } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/auth/schemas";
import { emitUserSignedUp } from "@/lib/auth/welcome";
import { route } from "@/lib/http/route";
import { clientIp } from "@/lib/rate-limit/client-ip";

/**
 * 201 `{ user: { id, email }, signedIn }`. With email confirmation on (hosted projects'
 * default, and ours), signedIn is false: the user opens the emailed link, /auth/confirm
 * signs them in and sends the welcome email. Without it, they are signed in at once.
 * A taken address gets the same answer (with confirmation on), and no email. 429 with
 * `Retry-After` after too many sign-ups from the caller's IP or for the address.
 */
export const POST = route({ auth: false, body: signUpSchema }, async ({ request, supabase, body }) => {
  const { user, signedIn } = await signUp(supabase, body, clientIp(request));
  // Welcome only an address that is known to be theirs.
  if (signedIn) await emitUserSignedUp(user);
  return Response.json({ user: { id: user.id, email: user.email }, signedIn }, { status: 201 });
});
