import { z } from "zod";
import { unsubscribeFromDigest, verifyUnsubscribeToken } from "@/lib/digest/unsubscribe";
import { HttpError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

const unsubscribeQuery = z.object({ token: z.string({ error: "Open the link from the email." }).min(1).max(200) });

/**
 * One-click unsubscribe (RFC 8058): mail clients POST here from the List-Unsubscribe
 * header, and the /unsubscribe page does too. Signed out and open to other sites by
 * design (the mail provider's servers make the POST): the token is the proof, and one that
 * wasn't signed by us changes nothing.
 */
export const POST = route({ auth: false, allowCrossSite: true, query: unsubscribeQuery }, async ({ query, service }) => {
  const userId = verifyUnsubscribeToken(query.token);
  if (!userId) throw new HttpError(400, "invalid_token", "This unsubscribe link is not valid.");
  await unsubscribeFromDigest(service(), userId);
  return Response.json({ unsubscribed: true });
});
