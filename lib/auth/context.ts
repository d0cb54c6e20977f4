import { getAdminScope, type AdminScope } from "@/lib/admin/access";
import type { Db } from "@/lib/supabase/db";
import type { SessionUser } from "./session";
import { getCurrentMembership, type Membership } from "./viewer";

/** What a request needs to know about its caller beyond who they are. */
export type ViewerContext = {
  /** The organisation the caller acts in. */
  membership: Membership;
  /** What they may administer; null for someone who administers nothing. */
  admin: AdminScope | null;
};

/** The caller's membership and admin scope, read with their own client. */
export async function getViewerContext(db: Db, user: SessionUser): Promise<ViewerContext> {
  const [membership, admin] = await Promise.all([getCurrentMembership(db, user.id), getAdminScope(db, user)]);
  return { membership, admin };
}
