import { randomUUID } from "node:crypto";
import { formatInTimeZone } from "date-fns-tz";
import { z } from "zod";
import { sql } from "../support/sql";

/** A fixed-offset zone (Etc/GMT±n) where the local time is now about `hour` o'clock. */
export function zoneAt(hour: number): string {
  let offset = (((hour - new Date().getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24; // Etc/GMT zones run from -12 to +14 hours
  return offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** Today's date where `zone` is, as the digest's local date (YYYY-MM-DD). */
export const localDate = (zone: string) => formatInTimeZone(new Date(), zone, "yyyy-MM-dd");

const seededUserSchema = z.object({ id: z.uuid(), email: z.string(), orgId: z.uuid(), active: z.boolean() });
export type SeededUser = z.infer<typeof seededUserSchema>;

/**
 * `count` opted-in users in `zone`, inserted straight into auth.users so the sign-up
 * trigger gives each a profile and a personal organisation, as a real sign-up does. Every
 * `activeEvery`-th user's organisation gets activity an hour ago; the others have none.
 */
export async function seedDigestUsers({ count, zone, activeEvery }: { count: number; zone: string; activeEvery: number }) {
  const prefix = `digest-${randomUUID().slice(0, 8)}`;
  await sql(
    `insert into auth.users (id, email, aud, role, raw_user_meta_data)
     select gen_random_uuid(), $1 || '-' || i || '@example.com', 'authenticated', 'authenticated', '{}'::jsonb
     from generate_series(1, $2::int) i`,
    [prefix, count],
  );
  await sql("update public.profiles set digest_opt_in = true, time_zone = $1 where email like $2", [zone, `${prefix}-%`]);
  await sql(
    `insert into public.activities (org_id, type, actor, amount, occurred_at)
     select m.org_id, 'login', p.email, 0, now() - interval '1 hour'
     from public.profiles p join public.memberships m on m.user_id = p.id
     where p.email like $1 and split_part(split_part(p.email, '@', 1), '-', 3)::int % $2 = 0`,
    [`${prefix}-%`, activeEvery],
  );
  const rows = await sql(
    `select p.id, p.email, m.org_id as "orgId",
       exists (select 1 from public.activities a where a.org_id = m.org_id) as active
     from public.profiles p join public.memberships m on m.user_id = p.id
     where p.email like $1`,
    [`${prefix}-%`],
  );
  return { emailPattern: `${prefix}-%`, users: z.array(seededUserSchema).parse(rows) };
}
