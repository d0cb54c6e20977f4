import type { Membership } from "@/lib/auth/viewer";

/**
 * The teams API's shapes, as the design states them. Replaced by lib/teams' own types once
 * that lands; the components import from here only, so that is one line to change.
 */
export type Role = Membership["role"];

export type Member = { userId: string; email: string; displayName: string; role: Role; joinedAt: string };

export type Invitation = {
  id: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  expired: boolean;
};

export type InvitationPreview = {
  orgName: string;
  role: Role;
  email: string;
  inviterName: string | null;
  status: "pending" | "expired" | "accepted";
};
