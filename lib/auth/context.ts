import { z } from "zod";
import type { AdminScope } from "@/lib/admin/access";
import { HttpError } from "@/lib/http/errors";
import { Constants } from "@/lib/supabase/database.types";
import type { Db } from "@/lib/supabase/db";
import { roleSchema } from "@/lib/teams/schemas";
import type { SessionUser } from "./session";

/** `organisations.plan` (the `plan` enum). Paid ("pro") organisations' reports start first. */
export const planSchema = z.enum(Constants.public.Enums.plan);
export type Plan = z.infer<typeof planSchema>;

export const membershipSchema = z.object({
  role: roleSchema,
  organisation: z.object({
    id: z.guid(),
    name: z.string(),
    // A team's address; a personal workspace has none.
    slug: z.string().nullable(),
    personal: z.boolean(),
    plan: planSchema,
  }),
});

/** An organisation someone belongs to, and their role there. */
export type Membership = z.infer<typeof membershipSchema>;

/** What `public.viewer_context()` answers (see its migration), or null for no such user. */
const viewerRowSchema = z
  .object({
    user_id: z.guid(),
    email: z.string(),
    display_name: z.string(),
    time_zone: z.string(),
    pending_email: z.string().nullable(),
    membership: membershipSchema,
    memberships: z.array(membershipSchema),
    platform_admin: z.boolean(),
    admin_org_ids: z.array(z.guid()),
  })
  .nullable();

export type ViewerRow = NonNullable<z.infer<typeof viewerRowSchema>>;

/** What a request needs to know about its caller beyond who they are. */
export type ViewerContext = {
  /** The organisation the caller acts in: the one they chose, else their personal workspace. */
  membership: Membership;
  /** Every organisation they belong to: their personal workspace first, then teams by name. */
  memberships: Membership[];
  /** What they may administer; null for someone who administers nothing. */
  admin: AdminScope | null;
};

/**
 * Everything about the caller in one round trip: profile, membership with its plan, and
 * admin grants. Read with the caller's own client (row-level security applies); null when
 * the client's token names no existing user.
 */
export async function readViewerRow(db: Db): Promise<ViewerRow | null> {
  const { data, error } = await db.rpc("viewer_context");
  if (error) throw new Error(`Could not read the viewer's context: ${error.message}`, { cause: error });
  return viewerRowSchema.parse(data);
}

/**
 * The organisation the user is acting in, read with the service role (no session, so no
 * auth.uid()): for background work such as the welcome email. A request reads it with
 * the rest of the viewer (getViewerContext, getViewer) in one call. Both make the same
 * choice, in the database (`current_membership`): the organisation the user switched to,
 * else their first membership, the personal workspace made at sign-up.
 */
export async function getCurrentMembership(supabase: Db, userId: string): Promise<Membership> {
  const { data, error } = await supabase.rpc("current_membership", { p_user_id: userId });
  if (error) throw new Error(`Could not read the membership of ${userId}: ${error.message}`, { cause: error });
  if (data === null) throw new Error(`User ${userId} belongs to no organisation.`);
  return membershipSchema.parse(data);
}

/** The admin scope a viewer row grants, or null for someone who administers nothing. */
export function adminScopeOf(row: ViewerRow): AdminScope | null {
  if (!row.platform_admin && row.admin_org_ids.length === 0) return null;
  return { userId: row.user_id, email: row.email, platformAdmin: row.platform_admin, orgIds: row.admin_org_ids };
}

/**
 * The caller's membership and admin scope, read with their own client in one call. A
 * verified session whose user is gone (deleted while the access token is still
 * unexpired) is answered like no session: 401.
 */
export async function getViewerContext(db: Db, user: SessionUser): Promise<ViewerContext> {
  const row = await readViewerRow(db);
  if (!row) throw new HttpError(401, "unauthorized", "Sign in to continue.");
  // The client and the session verified by the caller carry the same token; a mismatch is a bug.
  if (row.user_id !== user.id) throw new Error("The viewer's context belongs to another user than the session.");
  return { membership: row.membership, memberships: row.memberships, admin: adminScopeOf(row) };
}
