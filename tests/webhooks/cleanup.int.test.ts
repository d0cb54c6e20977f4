import { subDays } from "date-fns";
import { describe, expect, it } from "vitest";
import { deleteExpiredWebhookMessages, type EndedMessageStatus } from "@/lib/webhooks/cleanup";
import { serviceClient, signUpUser } from "../support/supabase";

const daysAgo = (days: number) => subDays(new Date(), days).toISOString();

describe("deleteExpiredWebhookMessages", () => {
  it("deletes ended messages past their retention, with their attempts, and nothing still under way", async () => {
    const db = serviceClient();
    const { orgId } = await signUpUser("Webhook retention");
    const { data: endpoint, error: endpointError } = await db
      .from("webhook_endpoints")
      .insert({ org_id: orgId, url: "https://example.com/hooks", event_types: ["job.completed"] })
      .select("id")
      .single();
    expect(endpointError).toBeNull();

    const rows = [
      { tag: "delivered-31", status: "delivered", updated_at: daysAgo(31) },
      { tag: "delivered-29", status: "delivered", updated_at: daysAgo(29) },
      { tag: "skipped-31", status: "skipped", updated_at: daysAgo(31) },
      { tag: "failed-91", status: "failed", updated_at: daysAgo(91) },
      { tag: "failed-89", status: "failed", updated_at: daysAgo(89) },
      { tag: "retrying-100", status: "retrying", updated_at: daysAgo(100) },
    ] as const;
    const { data: messages, error } = await db
      .from("webhook_messages")
      .insert(
        rows.map(({ tag, ...row }) => ({
          ...row,
          org_id: orgId,
          endpoint_id: endpoint!.id,
          event_type: "job.completed" as const,
          payload: { tag },
          dedupe_key: tag,
        })),
      )
      .select("id, dedupe_key");
    expect(error).toBeNull();
    const attempts = messages!.map((message) => ({
      message_id: message.id,
      org_id: orgId,
      attempt: 1,
      started_at: daysAgo(100),
      duration_ms: 12,
      outcome: "retry",
    }));
    expect((await db.from("webhook_attempts").insert(attempts)).error).toBeNull();

    const purge = async (status: EndedMessageStatus, olderThanDays: number) => {
      let total = 0;
      for (let count = -1; count !== 0; total += count) {
        count = await deleteExpiredWebhookMessages(db, { status, olderThanDays, batchSize: 1 });
      }
      return total;
    };
    expect(await purge("delivered", 30)).toBe(1);
    expect(await purge("skipped", 30)).toBe(1);
    expect(await purge("failed", 90)).toBe(1);

    const { data: left } = await db.from("webhook_messages").select("id, dedupe_key").eq("org_id", orgId);
    expect(left!.map((m) => m.dedupe_key).sort()).toEqual(["delivered-29", "failed-89", "retrying-100"]);
    const { data: leftAttempts } = await db.from("webhook_attempts").select("message_id").eq("org_id", orgId);
    expect(new Set(leftAttempts!.map((a) => a.message_id))).toEqual(new Set(left!.map((m) => m.id)));
  });
});
