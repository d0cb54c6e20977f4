import { requestEmailChange } from "@/lib/auth/accounts";
import { emailChangeSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";

/**
 * 202 `{ pendingEmail }`: Supabase Auth emailed a confirmation link; the account's (and
 * the profile's) address changes when it is opened. 409 if another account uses it, 400
 * if it is already the caller's.
 */
export const POST = route({ body: emailChangeSchema }, async ({ supabase, user, body }) => {
  const pendingEmail = await requestEmailChange(supabase, user, body.email);
  return Response.json({ pendingEmail }, { status: 202 });
});
