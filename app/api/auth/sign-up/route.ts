import { signUp } from "@/lib/auth/accounts";
import { getCurrentMembership } from "@/lib/auth/viewer";
import { signUpSchema } from "@/lib/auth/schemas";
import { route } from "@/lib/http/route";
import { createServiceSupabase } from "@/lib/supabase/service";
import { inngest } from "@/inngest/client";
import { userSignedUp, userSignedUpEventId } from "@/inngest/events";

/** 201 `{ user: { id, email }, signedIn }`; signedIn is false until the email is confirmed. */
export const POST = route({ auth: false, body: signUpSchema }, async ({ supabase, body }) => {
  const { user, signedIn } = await signUp(supabase, body);

  // The welcome email is background work. The event id comes from the user, so a
  // repeated send is one event; a failed send must not fail a sign-up that succeeded.
  try {
    const { organisation } = await getCurrentMembership(createServiceSupabase(), user.id);
    await inngest.send(
      userSignedUp.create(
        { userId: user.id, orgId: organisation.id, email: body.email },
        { id: userSignedUpEventId(user.id) },
      ),
    );
  } catch (error) {
    console.error(`sign-up ${user.id}: could not emit ${userSignedUp.name}`, error);
  }

  return Response.json({ user: { id: user.id, email: user.email }, signedIn }, { status: 201 });
});
