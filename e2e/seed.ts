import { sql } from "./sql";

/** Gives the personal organisation of the user with `email` activity to report on. */
export async function seedActivity(email: string, rows: number, from: string, to: string): Promise<string> {
  const [membership] = await sql<{ org_id: string }[]>`
    select m.org_id from public.memberships m join public.profiles p on p.id = m.user_id
    where p.email = ${email} order by m.created_at limit 1`;
  if (!membership) throw new Error(`no organisation for ${email}`);
  await sql`select public.generate_activity(${membership.org_id}, ${rows}, ${from}::timestamptz, ${to}::timestamptz)`;
  return membership.org_id;
}
