import type { Role } from "./types";

export const roleLabels: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };

/** What each role may do, as the database enforces it (the API refuses the rest anyway). */
export const roleDescriptions: Record<Role, string> = {
  owner: "Everything, including deleting the team",
  admin: "Invites, removes and changes roles of admins and members; renames the team",
  member: "Sees the team's jobs and reports, and requests them",
};

/** The roles someone with `role` may give, change or remove: owners all, admins all but owner. */
export function manageableRoles(role: Role): Role[] {
  if (role === "owner") return ["owner", "admin", "member"];
  if (role === "admin") return ["admin", "member"];
  return [];
}

export function canManage(viewerRole: Role, targetRole: Role): boolean {
  return manageableRoles(viewerRole).includes(targetRole);
}

/** Owners and admins see and send invitations. */
export const canInvite = (role: Role) => role === "owner" || role === "admin";
