import { signUp } from "@/lib/auth/accounts";
import { signUpSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/** 201 `{ user: { id, email }, signedIn }`; signedIn is false until the email is confirmed. */
export const POST = route({ auth: false, body: signUpSchema }, async ({ supabase, body }) => {
  const { user, signedIn } = await signUp(supabase, body);

  return Response.json({ user: { id: user.id, email: user.email }, signedIn }, { status: 201 });
});
