import { describe, expect, it } from "vitest";
import { digestRequested, invitationSent, replayableEvents, reportRequested, userSignedUp } from "@/inngest/events";
import { replayEventFor } from "@/lib/admin/replay";

const orgId = "6f1c7a52-0a8e-4f7e-9d3e-2b1f0c9a8d71";
const userId = "2b0e5c3e-8a41-4d52-a1b3-7c9d0e1f2a3b";
const oldJob = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const newJob = "0f1e2d3c-4b5a-4968-8776-655443322110";

describe("replay events", () => {
  it("sends the original data with the new job's id, a new event id, and the job's org and user", () => {
    const event = replayEventFor(
      {
        id: oldJob,
        org_id: orgId,
        user_id: userId,
        type: "welcome-email",
        payload: { userId, orgId, email: "ada@example.com" },
        max_attempts: 5,
        notify_by_email: false,
        event_name: userSignedUp.name,
      },
      newJob,
    );
    expect(event).toEqual({
      id: `replay-${newJob}`,
      name: "app/user.signed_up",
      data: { userId, orgId, email: "ada@example.com", jobId: newJob },
    });
    expect(userSignedUp.schema.safeParse(event.data).success).toBe(true);
  });

  it("fits every replayable event's schema, which accept a jobId", () => {
    const payloads = {
      [userSignedUp.name]: { email: "ada@example.com" },
      [reportRequested.name]: { kind: "summary", from: "2026-10-01", to: "2026-10-02", format: "csv" },
      [digestRequested.name]: { localDate: "2026-11-24", asOf: "2026-11-24T08:00:00.000Z" },
      [invitationSent.name]: {
        invitationId: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
        nonce: "7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1f0e",
      },
    };
    expect(replayableEvents.map((type) => type.name).sort()).toEqual(Object.keys(payloads).sort());
    for (const type of replayableEvents) {
      const event = replayEventFor(
        {
          id: oldJob,
          org_id: orgId,
          user_id: userId,
          type: "any",
          payload: payloads[type.name]!,
          max_attempts: 1,
          notify_by_email: false,
          event_name: type.name,
        },
        newJob,
      );
      const parsed = type.schema.safeParse(event.data);
      expect(parsed.success, type.name).toBe(true);
      expect(parsed.data).toMatchObject({ jobId: newJob });
    }
  });
});
