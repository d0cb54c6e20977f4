import { signIn } from "@/lib/auth/accounts";
import { signInSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/** 200 `{ user: { id, email } }`, with the session in cookies. */
export const POST = route({ auth: false, body: signInSchema }, async ({ supabase, body }) => {
  const user = await signIn(supabase, body);
  return Response.json({ user: { id: user.id, email: user.email } });
});
