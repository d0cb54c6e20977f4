import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ProfileNotFoundError } from "@/lib/profiles/profile";
import {
  getProfileSettings,
  UnknownTimeZoneError,
  updateProfileSettings,
  type ProfileSettings,
} from "@/lib/profiles/settings";
import { startAppStack, type AppStack } from "../support/app-stack";
import { signUpThroughApp, type ApiClient } from "../support/http";
import { serviceClient, signUpUser } from "../support/supabase";

type ProfileAnswer = { profile: ProfileSettings };
type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string> } };

/** Settings through the real app: read, change, bad input, and only ever the caller's row. */
describe(`profile settings (${inject("database")})`, () => {
  const db = serviceClient();
  let stack: AppStack;
  let alice: ApiClient;
  let bob: ApiClient;

  const patch = <T,>(client: ApiClient, body: string) =>
    client.json<T>("/api/profile", { method: "PATCH", body });

  async function storedSettings(userId: string) {
    const { data, error } = await db
      .from("profiles")
      .select("display_name, time_zone, digest_opt_in, email, welcome_sent_at")
      .eq("id", userId)
      .single();
    if (error) throw new Error(error.message);
    return data;
  }

  beforeAll(async () => {
    stack = await startAppStack();
    [alice, bob] = await Promise.all([
      signUpThroughApp(stack.app.url, "Alice"),
      signUpThroughApp(stack.app.url, "Bob"),
    ]);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("reads the defaults a new user starts with", async () => {
    const { status, body } = await bob.json<ProfileAnswer>("/api/profile");
    expect(status).toBe(200);
    expect(body.profile).toEqual({ displayName: "Bob", timeZone: "UTC", digestOptIn: false });
  });

  it("changes every setting, trims the name, and reads them back", async () => {
    const changed = await patch<ProfileAnswer>(
      alice,
      JSON.stringify({ displayName: "  Alice Liddell  ", timeZone: "Europe/Paris", digestOptIn: true }),
    );
    expect(changed.status).toBe(200);
    const expected = { displayName: "Alice Liddell", timeZone: "Europe/Paris", digestOptIn: true };
    expect(changed.body.profile).toEqual(expected);

    const read = await alice.json<ProfileAnswer>("/api/profile");
    expect(read.body.profile).toEqual(expected);
    expect(await storedSettings(alice.userId)).toMatchObject({
      display_name: "Alice Liddell",
      time_zone: "Europe/Paris",
      digest_opt_in: true,
    });
  });

  it("changes only the settings sent", async () => {
    await patch(alice, JSON.stringify({ displayName: "Alice", timeZone: "Asia/Tokyo", digestOptIn: true }));
    const { status, body } = await patch<ProfileAnswer>(alice, JSON.stringify({ digestOptIn: false }));
    expect(status).toBe(200);
    expect(body.profile).toEqual({ displayName: "Alice", timeZone: "Asia/Tokyo", digestOptIn: false });
  });

  it("accepts UTC and a name of exactly 100 characters, counted as the database counts them", async () => {
    const name = "🙂".repeat(100);
    const { status, body } = await patch<ProfileAnswer>(alice, JSON.stringify({ displayName: name, timeZone: "UTC" }));
    expect(status).toBe(200);
    expect(body.profile).toMatchObject({ displayName: name, timeZone: "UTC" });
  });

  it("refuses an unknown time zone with a 400 naming timeZone, and changes nothing", async () => {
    await patch(alice, JSON.stringify({ displayName: "Alice", timeZone: "Europe/Paris", digestOptIn: true }));
    const before = await storedSettings(alice.userId);

    for (const timeZone of ["Mars/Olympus_Mons", "", "europe/paris", "+02:00"]) {
      const { status, body } = await patch<ErrorAnswer>(
        alice,
        JSON.stringify({ displayName: "Changed", timeZone, digestOptIn: false }),
      );
      expect(status, timeZone).toBe(400);
      expect(Object.keys(body.error.fields ?? {}), timeZone).toEqual(["timeZone"]);
    }
    expect(await storedSettings(alice.userId)).toEqual(before);
  });

  it("refuses wrong types, unknown fields, a long name and an empty body with a 400", async () => {
    const before = await storedSettings(alice.userId);
    const cases: [body: string, field: string | null][] = [
      [JSON.stringify({ digestOptIn: "yes" }), "digestOptIn"],
      [JSON.stringify({ displayName: 42 }), "displayName"],
      [JSON.stringify({ timeZone: 7 }), "timeZone"],
      [JSON.stringify({ displayName: "x".repeat(101) }), "displayName"],
      [JSON.stringify({ email: "mallory@example.com" }), null],
      [JSON.stringify({}), null],
      [JSON.stringify([]), null],
      ["", null],
      ["{not json", null],
    ];
    for (const [body, field] of cases) {
      const answer = await patch<ErrorAnswer>(alice, body);
      expect(answer.status, body).toBe(400);
      if (field) expect(Object.keys(answer.body.error.fields ?? {}), body).toEqual([field]);
    }
    expect(await storedSettings(alice.userId)).toEqual(before);
  });

  it("answers 401 when signed out, to reads and changes alike", async () => {
    const read = await fetch(`${stack.app.url}/api/profile`);
    expect(read.status).toBe(401);
    const change = await fetch(`${stack.app.url}/api/profile`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ displayName: "Nobody" }),
    });
    expect(change.status).toBe(401);
  });

  it("touches only the caller's own row", async () => {
    const bobBefore = await storedSettings(bob.userId);
    const aimed = await patch<ErrorAnswer>(alice, JSON.stringify({ id: bob.userId, displayName: "Hacked" }));
    expect(aimed.status).toBe(400);
    const { status } = await patch<ProfileAnswer>(
      alice,
      JSON.stringify({ displayName: "Alice Again", timeZone: "America/New_York", digestOptIn: true }),
    );
    expect(status).toBe(200);
    expect(await storedSettings(bob.userId)).toEqual(bobBefore);
    expect((await bob.json<ProfileAnswer>("/api/profile")).body.profile).toEqual({
      displayName: bobBefore.display_name,
      timeZone: bobBefore.time_zone,
      digestOptIn: bobBefore.digest_opt_in,
    });
  });
});

/** The query function under the route, with a user's session: the database has the last word. */
describe(`updateProfileSettings (${inject("database")})`, () => {
  it("turns the database's refusal of a time zone into UnknownTimeZoneError", async () => {
    const user = await signUpUser();
    await expect(updateProfileSettings(user.client, user.id, { timeZone: "Mars/Olympus_Mons" })).rejects.toThrow(
      UnknownTimeZoneError,
    );
    expect(await getProfileSettings(user.client, user.id)).toMatchObject({ timeZone: "UTC" });
  });

  it("finds no row of another user's to change: RLS hides it", async () => {
    const [user, other] = await Promise.all([signUpUser(), signUpUser("Other")]);
    await expect(updateProfileSettings(user.client, other.id, { displayName: "Hacked" })).rejects.toThrow(
      ProfileNotFoundError,
    );
    expect(await getProfileSettings(serviceClient(), other.id)).toMatchObject({ displayName: "Other" });
  });
});
