/** `npm run devstack`'s flags: `--no-inngest` leaves port 8288 to the official dev server. */
import { describe, expect, it } from "vitest";
import { parseDevstackArgs } from "@/devstack/cli-args";

describe("devstack CLI flags", () => {
  it("starts the Inngest executor unless told not to", () => {
    expect(parseDevstackArgs([])).toEqual({ inngest: true });
    expect(parseDevstackArgs(["--no-inngest"])).toEqual({ inngest: false });
  });

  it("refuses an unknown flag instead of ignoring it", () => {
    expect(() => parseDevstackArgs(["--no-ingest"])).toThrow(/unknown option "--no-ingest"[\s\S]*usage/);
  });
});
