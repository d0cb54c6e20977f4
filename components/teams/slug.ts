/** As the database checks a slug (organisations_slug_format): 2–48 characters, words joined by single hyphens. */
export const SLUG_MAX = 48;

/** A slug made from a team's name: "Acme Café, Inc." → "acme-cafe-inc". May be empty. */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}

