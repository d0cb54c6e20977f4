import { describe, expect, it } from "vitest";
import { startMail } from "@/devstack/mail/server";
import { parseGoDuration, resendAuthMail } from "@/devstack/supabase/auth-mail";
import { freePort } from "../support/free-port";

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

describe("resendAuthMail", () => {
  it("delivers the template's HTML to the inbox and no text part of lite's own (its link leads nowhere)", async () => {
    const mail = await startMail({ port: await freePort() });
    try {
      await resendAuthMail({ url: mail.url }).send({
        to: "someone@example.com",
        subject: "Confirm your Offload account",
        html: '<a href="http://localhost:3000/auth/confirm?token_hash=abc&type=email">Confirm</a>',
        text: "Or follow this link: http://localhost:3000/auth/v1/verify?token=abc",
      });
      const { data } = (await (await fetch(`${mail.url}/_devstack/emails?to=someone@example.com`)).json()) as {
        data: { subject: string; html?: string; text?: string }[];
      };
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({ subject: "Confirm your Offload account", html: expect.stringContaining("/auth/confirm") });
      expect(data[0]?.text ?? null).toBeNull();
    } finally {
      await mail.close();
    }
  });
});
