import { inject } from "vitest";
import { z } from "zod";

const emailsSchema = z.object({
  data: z.array(z.object({ to: z.array(z.string()), subject: z.string(), html: z.string().nullish(), created_at: z.string().optional() })),
});

export type AuthEmail = z.infer<typeof emailsSchema>["data"][number];

/** The Auth server's emails to `to`, newest first (the devstack outbox's test hook). */
export async function authEmailsTo(to: string, outboxUrl = inject("authMailUrl")): Promise<AuthEmail[]> {
  const response = await fetch(`${outboxUrl}/_devstack/emails?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`auth outbox answered ${response.status}`);
  return emailsSchema.parse(await response.json()).data;
}

/**
 * The /auth/confirm link in the newest Auth email to `to`, as supabase/templates write it.
 * The Auth server sends before it answers, so the email is there once the call returned.
 * `outboxUrl` defaults to the integration tests' (benchmarks pass their own).
 */
export async function latestAuthLink(to: string, outboxUrl = inject("authMailUrl")): Promise<URL> {
  const [email] = await authEmailsTo(to, outboxUrl);
  if (!email) throw new Error(`no auth email to ${to}`);
  const href = /href="([^"]*\/auth\/confirm\?[^"]*)"/.exec(email.html ?? "")?.[1];
  if (!href) throw new Error(`the email "${email.subject}" to ${to} has no /auth/confirm link`);
  return new URL(href.replaceAll("&amp;", "&"));
}
