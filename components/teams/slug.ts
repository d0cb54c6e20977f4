import { MAX_SLUG } from "@/lib/teams/schemas";

/**
 * A slug made from a team's name: "Acme Café, Inc." → "acme-cafe-inc", "Bob's Band" →
 * "bobs-band" (an apostrophe joins, as people read it). May be empty.
 */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
}

