import { describe, expect, it } from "vitest";
import { lastContactAt, workerHealth } from "@/lib/health/inngest-contacts";

describe("worker health", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString();
  const contact = (secondsAgo: number) => ({ firstAt: at(86_400), lastAt: at(secondsAgo) });

  it("reads never when Inngest has neither synced nor called", () => {
    expect(workerHealth({ sync: null, call: null }, now, 900)).toEqual({ state: "never", contacts: { sync: null, call: null } });
    expect(lastContactAt({ sync: null, call: null })).toBeNull();
  });

  it("judges by the latest contact of either kind", () => {
    const contacts = { sync: contact(7_200), call: contact(60) };
    expect(lastContactAt(contacts)).toEqual(new Date(at(60)));
    expect(workerHealth(contacts, now, 900)).toMatchObject({ state: "ok", silentForSeconds: 60 });
    // Synced once, never called since: a worker nobody runs jobs on, or one that can't be called.
    expect(workerHealth({ sync: contact(7_200), call: null }, now, 900)).toMatchObject({ state: "silent", silentForSeconds: 7_200 });
  });

  it("counts a contact the caller witnessed but the table doesn't hold yet (the cron's own call)", () => {
    // Nothing recorded: without the witnessed contact this reads "never".
    expect(lastContactAt({ sync: null, call: null }, new Date(at(0)))).toEqual(new Date(at(0)));
    // The later of the two wins either way.
    expect(lastContactAt({ sync: null, call: contact(60) }, new Date(at(7_200)))).toEqual(new Date(at(60)));
    expect(lastContactAt({ sync: null, call: contact(7_200) }, new Date(at(0)))).toEqual(new Date(at(0)));
  });

  it("turns silent only past the threshold", () => {
    expect(workerHealth({ sync: null, call: contact(900) }, now, 900).state).toBe("ok");
    expect(workerHealth({ sync: null, call: contact(901) }, now, 900).state).toBe("silent");
  });
});
