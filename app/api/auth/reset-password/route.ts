import { updatePassword } from "@/lib/auth/accounts";
import { newPasswordSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/**
 * 204: the signed-in user's password is now `password` (the old one stops working).
 * Reached with the session a recovery link gave (/auth/confirm?type=recovery).
 * 400 for a password that is too weak or the current one.
 */
export const POST = route({ body: newPasswordSchema }, async ({ supabase, body }) => {
  await updatePassword(supabase, body.password);
  return new Response(null, { status: 204 });
});
