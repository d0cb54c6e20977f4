import { signOut } from "@/lib/auth/accounts";
import { route } from "@/lib/http/route";

/** 204, and the session cookies are cleared. Signing out twice is not an error. */
export const POST = route({ auth: false }, async ({ supabase }) => {
  await signOut(supabase);
  return new Response(null, { status: 204 });
});
