import { z } from "zod";
import { invalidFields } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { displayNameSchema } from "@/lib/profiles/display-name";
import {
  getProfileSettings,
  supportedTimeZones,
  UnknownTimeZoneError,
  updateProfileSettings,
} from "@/lib/profiles/settings";

const timeZones = new Set(supportedTimeZones());
const unknownTimeZone = "Choose a time zone from the list.";

const settingsSchema = z
  .object({
    displayName: displayNameSchema,
    timeZone: z
      .string({ error: unknownTimeZone })
      .refine((zone) => timeZones.has(zone), { error: unknownTimeZone }),
    digestOptIn: z.boolean({ error: "Send true or false." }),
  })
  .partial()
  .strict()
  .refine((settings) => Object.values(settings).some((value) => value !== undefined), {
    error: "Send at least one of displayName, timeZone and digestOptIn.",
  });

/** The caller's own settings: `{ profile: { displayName, timeZone, digestOptIn } }`. */
export const GET = route({}, async ({ supabase, user }) => {
  const profile = await getProfileSettings(supabase, user.id);
  return Response.json({ profile });
});

/**
 * Changes any of the caller's settings and answers with all of them. It acts with the
 * caller's session, so row-level security and the column grants bound what it can touch.
 */
// The user's own settings, not the organisation's.
export const PATCH = route({ body: settingsSchema, allowStaleOrganisation: true }, async ({ supabase, user, body }) => {
  try {
    const profile = await updateProfileSettings(supabase, user.id, body);
    return Response.json({ profile });
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) {
      throw invalidFields({ timeZone: unknownTimeZone });
    }
    throw error;
  }
});
