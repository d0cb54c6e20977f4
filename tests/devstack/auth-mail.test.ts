import { describe, expect, it } from "vitest";
import { parseGoDuration } from "@/devstack/supabase/auth-mail";

// config.toml's max_frequency is a Go duration, as the Supabase CLI writes it ("1m0s", "1s").
describe("parseGoDuration", () => {
  it.each([
    ["1s", 1],
    ["60s", 60],
    ["1m0s", 60],
    ["1h2m3s", 3723],
    ["5m", 300],
  ])("reads %s as %i seconds", (value, seconds) => {
    expect(parseGoDuration(value)).toBe(seconds);
  });

  it.each(["", "1", "1 minute", "-1s", "1d"])("refuses %j", (value) => {
    expect(() => parseGoDuration(value)).toThrow(/not a duration/);
  });
});
