/** The teams API's shapes, from lib/teams (types only: those modules run on the server). */
export type { Invitation, InvitationPreview } from "@/lib/teams/invitations";
export type { Member } from "@/lib/teams/members";
export type { Organisation } from "@/lib/teams/organisations";
export type { Role } from "@/lib/teams/schemas";
