import { describe, expect, it } from "vitest";
import { functionRunsUrl, runPageUrl } from "@/lib/jobs/run-page";

describe("runPageUrl", () => {
  it("links to the dev server's runs page when INNGEST_DEV is its URL", () => {
    expect(runPageUrl("01KTCTWT8XDEGWDMVX3Q9M69ND", "http://127.0.0.1:8288")).toBe(
      "http://127.0.0.1:8288/runs/01KTCTWT8XDEGWDMVX3Q9M69ND",
    );
    expect(runPageUrl("run/with odd chars", "http://127.0.0.1:8288/")).toBe("http://127.0.0.1:8288/runs/run%2Fwith%20odd%20chars");
  });

  it("knows no page without a dev server URL (Inngest Cloud), or without a run", () => {
    expect(runPageUrl("01KTCTWT8XDEGWDMVX3Q9M69ND", undefined)).toBeNull();
    expect(runPageUrl("01KTCTWT8XDEGWDMVX3Q9M69ND", "1")).toBeNull();
    expect(runPageUrl(null, "http://127.0.0.1:8288")).toBeNull();
  });
});

describe("functionRunsUrl", () => {
  it("filters the dev server's runs page to the function, or knows none", () => {
    expect(functionRunsUrl("offload-daily-digest", "http://127.0.0.1:8288")).toBe("http://127.0.0.1:8288/?function=offload-daily-digest");
    expect(functionRunsUrl("offload-daily-digest", undefined)).toBeNull();
  });
});
