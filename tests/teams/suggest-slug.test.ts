import { describe, expect, it } from "vitest";
import { suggestSlug } from "@/components/teams/slug";
import { MAX_SLUG, slugSchema } from "@/lib/teams/schemas";

describe("suggestSlug", () => {
  it.each([
    ["Rocket Labs", "rocket-labs"],
    ["  Acme Café, Inc.  ", "acme-cafe-inc"],
    ["Ünïcödé & Co", "unicode-co"],
    ["--Already--slugged--", "already-slugged"],
    ["2026 Team", "2026-team"],
    ["Bob's Band", "bobs-band"],
    ["O\u2019Brien \u2019n\u2019 Sons", "obrien-n-sons"],
  ])("makes %j into %j", (name, slug) => {
    expect(suggestSlug(name)).toBe(slug);
  });

  it("is empty for a name with nothing it can use", () => {
    expect(suggestSlug("東京 🚀")).toBe("");
  });

  it("stays within the slug's length and never ends on a hyphen when cut", () => {
    const slug = suggestSlug(`${"a".repeat(MAX_SLUG - 1)} bcd`);
    expect(slug).toBe("a".repeat(MAX_SLUG - 1));
  });

  it.each(["Rocket Labs", "A very long team name that goes on and on and on past the limit", "x-y"])(
    "suggests what the API accepts, from %j",
    (name) => {
      expect(slugSchema.safeParse(suggestSlug(name)).success).toBe(true);
    },
  );
});
