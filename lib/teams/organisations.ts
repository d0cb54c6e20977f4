import { z } from "zod";
import { membershipSchema } from "@/lib/auth/context";
import type { Db } from "@/lib/supabase/db";
import { forbidden, notFound, personalWorkspace, teamsError } from "./errors";
import { roleSchema, type Role } from "./schemas";

/**
 * Organisations as the caller sees them. Every function takes the caller's own client:
 * row-level security and the schema's triggers decide what happens (20261202030000_teams.sql);
 * this module reads the caller's role first only to answer in the API's terms: an
 * organisation they aren't in is a 404 (never telling that it exists), one they are in
 * without the role a 403.
 */

/** An organisation as the viewer's memberships describe it (lib/auth/context.ts): one shape. */
const organisationRow = membershipSchema.shape.organisation;

/** An organisation and the caller's role in it, as the API answers it. */
export type Organisation = z.infer<typeof organisationRow> & { role: Role };

/** The columns of `organisationRow`, as the Data API selects them. */
export const organisationColumns = Object.keys(organisationRow.shape).join(", ");

/**
 * The organisation with the caller's role in it, or null when they aren't a member: row-level
 * security shows only their organisations, and `org_role` is null outside them (a platform
 * admin reads every organisation, and is still no member of most).
 */
export async function getOrganisation(db: Db, { orgId }: { orgId: string }): Promise<Organisation | null> {
  const [org, role] = await Promise.all([
    db.from("organisations").select(organisationColumns).eq("id", orgId).maybeSingle(),
    db.rpc("org_role", { target_org: orgId }),
  ]);
  if (org.error) throw teamsError("read the organisation", org.error);
  if (role.error) throw teamsError("read your role", role.error);
  const callerRole = roleSchema.nullable().parse(role.data);
  if (!org.data || !callerRole) return null;
  return { ...organisationRow.parse(org.data), role: callerRole };
}

/** As getOrganisation, but a 404 when the caller isn't a member. */
export async function requireOrganisation(db: Db, { orgId }: { orgId: string }): Promise<Organisation> {
  const organisation = await getOrganisation(db, { orgId });
  if (!organisation) throw notFound();
  return organisation;
}

/** A team the caller belongs to (404 otherwise); a personal workspace is refused with `personal`'s message. */
export async function requireTeam(db: Db, { orgId }: { orgId: string }, personal: string): Promise<Organisation> {
  const organisation = await requireOrganisation(db, { orgId });
  if (organisation.personal) throw personalWorkspace(personal);
  return organisation;
}

/** A new team: the caller is its owner and it becomes their current organisation (`create_team`). */
export async function createTeam(db: Db, { name, slug }: { name: string; slug: string }): Promise<Organisation> {
  const { data: orgId, error } = await db.rpc("create_team", { p_name: name, p_slug: slug });
  if (error) throw teamsError("create the team", error);
  const organisation = await getOrganisation(db, { orgId });
  if (!organisation) throw new Error(`The new team ${orgId} is not visible to its owner.`);
  return organisation;
}

/** Renames a team (owners and admins): its name, its slug, or both. */
export async function renameTeam(
  db: Db,
  { orgId, name, slug }: { orgId: string; name?: string; slug?: string },
): Promise<Organisation> {
  const team = await requireTeam(db, { orgId }, "Your personal workspace keeps its name: create a team to choose one.");
  const { data, error } = await db
    .from("organisations")
    .update({ name, slug })
    .eq("id", orgId)
    .select(organisationColumns)
    .maybeSingle();
  if (error) throw teamsError("rename the team", error);
  // Row-level security hides the row from the update when the caller may not rename it.
  if (!data) throw forbidden("Only owners and admins can rename the team.");
  return { ...organisationRow.parse(data), role: team.role };
}

/**
 * Deletes a team (owners only). Its jobs, reports and memberships go with it (foreign keys
 * cascade); the database writes the audit record (`team.deleted`).
 */
export async function deleteTeam(db: Db, { orgId }: { orgId: string }): Promise<void> {
  await requireTeam(db, { orgId }, "Your personal workspace goes only with your account.");
  const { data, error } = await db.from("organisations").delete().eq("id", orgId).select("id");
  if (error) throw teamsError("delete the team", error);
  if (data.length === 0) throw forbidden("Only owners can delete the team.");
}

/**
 * Makes an organisation the caller belongs to the one they act in (their row of
 * current_organisations), so the choice follows them to every device; the database
 * refuses one they aren't in.
 */
export async function switchOrganisation(db: Db, { userId, orgId }: { userId: string; orgId: string }): Promise<Organisation> {
  const organisation = await requireOrganisation(db, { orgId });
  const { error } = await db.from("current_organisations").upsert({ user_id: userId, org_id: orgId }, { onConflict: "user_id" });
  if (error) throw teamsError("switch organisation", error);
  return organisation;
}
