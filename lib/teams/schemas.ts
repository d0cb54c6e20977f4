import { z } from "zod";
import { Constants } from "@/lib/supabase/database.types";

/** As `organisations.name` holds it: one line, trimmed, 1–100 characters. */
export const MAX_TEAM_NAME = 100;
/** `organisations_slug_format`: 2–48 characters, lowercase words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MIN_SLUG = 2;
export const MAX_SLUG = 48;
/** `invitations.email`'s limit. */
export const MAX_INVITATION_EMAIL = 320;

export const teamNameSchema = z
  .string({ error: "Enter the team's name as text." })
  .trim()
  .min(1, "Enter the team's name.")
  // A name is shown in headings, the switcher and email subjects.
  .refine((name) => !/\p{Cc}/u.test(name), { error: "Use a name without control characters (tabs, line breaks)." })
  // Counted in code points, as the database's char_length counts them.
  .refine((name) => [...name].length <= MAX_TEAM_NAME, { error: `Use at most ${MAX_TEAM_NAME} characters.` });

export const slugSchema = z
  .string({ error: "Enter the team's slug as text." })
  .trim()
  .min(MIN_SLUG, `Use at least ${MIN_SLUG} characters.`)
  .max(MAX_SLUG, `Use at most ${MAX_SLUG} characters.`)
  .regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens between them (like acme-labs).");

export const roleSchema = z.enum(Constants.public.Enums.membership_role, {
  error: `Choose one of ${Constants.public.Enums.membership_role.join(", ")}.`,
});
export type Role = z.infer<typeof roleSchema>;

export const invitationEmailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address.")
  .max(MAX_INVITATION_EMAIL, `Use at most ${MAX_INVITATION_EMAIL} characters.`)
  .pipe(z.email({ error: "Enter a valid email address." }));

const id = z.uuid();

// Bodies ------------------------------------------------------------------------------

export const createTeamSchema = z.object({ name: teamNameSchema, slug: slugSchema }).strict();

export const renameTeamSchema = z
  .object({ name: teamNameSchema, slug: slugSchema })
  .partial()
  .strict()
  .refine((change) => change.name !== undefined || change.slug !== undefined, {
    error: "Send at least one of name and slug.",
  });

export const switchOrganisationSchema = z.object({ orgId: z.uuid({ error: "Send the organisation's id." }) }).strict();

export const changeRoleSchema = z.object({ role: roleSchema }).strict();

export const inviteSchema = z.object({ email: invitationEmailSchema, role: roleSchema }).strict();

/** An invitation link's token as a body sends it: any text (see wellFormedTokenSchema). */
export const invitationTokenSchema = z.string({ error: "Send the invitation's token." });

/**
 * What a token can be: invitationToken makes 43 base64url characters. Anything else (too
 * long, other characters) is no invitation's, and is answered so (an unknown invitation, not
 * a bad request) without hashing it or asking the database.
 */
export const wellFormedTokenSchema = invitationTokenSchema.regex(/^[A-Za-z0-9_-]{16,200}$/);

export const acceptInvitationSchema = z.object({ token: invitationTokenSchema }).strict();

// Route segments ------------------------------------------------------------------------

export const orgParams = z.object({ orgId: id });
export const memberParams = z.object({ orgId: id, userId: id });
export const invitationParams = z.object({ orgId: id, invitationId: id });
