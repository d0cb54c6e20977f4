import type { User } from "@supabase/supabase-js";
import { inngest } from "@/inngest/client";
import { userSignedUp, userSignedUpEventId } from "@/inngest/events";
import { createServiceSupabase } from "@/lib/supabase/service";
import { getCurrentMembership } from "./context";
import { log } from "@/lib/observability/log";

/**
 * Emits `app/user.signed_up`, which sends the welcome email, once the address is known
 * to be the user's: at sign-up when the project confirms at once, else when the
 * confirmation link is opened. The event id comes from the user, so both paths, a
 * second click and a retried send are one event. The welcome email is background work:
 * failing to emit it must not fail the sign-up or the confirmation, so it is logged.
 */
export async function emitUserSignedUp(user: Pick<User, "id" | "email">): Promise<void> {
  try {
    if (!user.email) throw new Error("the user has no email address");
    const { organisation } = await getCurrentMembership(createServiceSupabase(), user.id);
    await inngest.send(
      userSignedUp.create(
        { userId: user.id, orgId: organisation.id, email: user.email },
        { id: userSignedUpEventId(user.id) },
      ),
    );
  } catch (error) {
    log().error({ err: error, userId: user.id, eventName: userSignedUp.name }, "could not emit the sign-up event");
  }
}
