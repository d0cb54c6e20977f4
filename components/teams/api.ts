import { z } from "zod";
import { answer, api } from "@/lib/http/client";
import { HttpError } from "@/lib/http/errors";
import type { Invitation, Member, Organisation, Role } from "./types";

/**
 * The browser's side of the teams API (/api/organisations, /api/invitations). Each call
 * throws the route's `HttpError` (lib/http/client.ts), whose message is written for people.
 */

/** What the organisation routes answer: the organisation and the caller's role in it. */
const organisationAnswer = z.object({ organisation: answer<Organisation>() });

const orgPath = (orgId: string) => `/api/organisations/${encodeURIComponent(orgId)}`;

/** Query keys per organisation, so a list never shows another team's rows after a switch. */
export const teamKeys = {
  all: ["team"] as const,
  members: (orgId: string) => [...teamKeys.all, orgId, "members"] as const,
  invitations: (orgId: string) => [...teamKeys.all, orgId, "invitations"] as const,
};

export async function createTeam(body: { name: string; slug: string }): Promise<Organisation> {
  const { organisation } = await api("/api/organisations", organisationAnswer, { method: "POST", json: body });
  return organisation;
}

export async function renameTeam(orgId: string, body: { name?: string; slug?: string }): Promise<Organisation> {
  const { organisation } = await api(orgPath(orgId), organisationAnswer, { method: "PATCH", json: body });
  return organisation;
}

export async function deleteTeam(orgId: string): Promise<void> {
  await api(orgPath(orgId), z.undefined(), { method: "DELETE" });
}

export async function switchOrganisation(orgId: string): Promise<Organisation> {
  const { organisation } = await api("/api/organisations/current", organisationAnswer, { method: "PUT", json: { orgId } });
  return organisation;
}

const membersAnswer = z.object({ members: z.array(answer<Member>()) });

export async function fetchMembers(orgId: string, signal?: AbortSignal): Promise<Member[]> {
  const { members } = await api(`${orgPath(orgId)}/members`, membersAnswer, { signal });
  return members;
}

const memberAnswer = z.object({ member: answer<Member>() });

export async function changeRole(orgId: string, userId: string, role: Role): Promise<Member> {
  const { member } = await api(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`, memberAnswer, {
    method: "PATCH",
    json: { role },
  });
  return member;
}

/** Removes a member; the caller's own id leaves the team. */
export async function removeMember(orgId: string, userId: string): Promise<void> {
  await api(`${orgPath(orgId)}/members/${encodeURIComponent(userId)}`, z.undefined(), { method: "DELETE" });
}

const invitationsAnswer = z.object({ invitations: z.array(answer<Invitation>()) });

export async function fetchInvitations(orgId: string, signal?: AbortSignal): Promise<Invitation[]> {
  const { invitations } = await api(`${orgPath(orgId)}/invitations`, invitationsAnswer, { signal });
  return invitations;
}

const invitationAnswer = z.object({ invitation: answer<Invitation>() });

/** Invites `email`, or sends a pending invitation to it again with a new link. */
export async function invite(orgId: string, body: { email: string; role: Role }): Promise<Invitation> {
  const { invitation } = await api(`${orgPath(orgId)}/invitations`, invitationAnswer, { method: "POST", json: body });
  return invitation;
}

export async function revokeInvitation(orgId: string, invitationId: string): Promise<void> {
  await api(`${orgPath(orgId)}/invitations/${encodeURIComponent(invitationId)}`, z.undefined(), { method: "DELETE" });
}

export async function acceptInvitation(token: string): Promise<Organisation> {
  const { organisation } = await api("/api/invitations/accept", organisationAnswer, { method: "POST", json: { token } });
  return organisation;
}

/** What to tell the user about a failed call: the API's own message, or that it wasn't reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  return "Couldn't reach the server. Check your connection and try again.";
}

/** The message for one field, when the API named it (or a 409 that is about that field). */
export function fieldError(error: unknown, field: string, codes: string[] = []): string | undefined {
  if (!(error instanceof HttpError)) return undefined;
  return error.fields?.[field] ?? (codes.includes(error.code) ? error.message : undefined);
}
