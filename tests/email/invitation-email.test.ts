import { render } from "@react-email/components";
import { describe, expect, it } from "vitest";
import { InvitationEmail, invitationEmailSubject, type InvitationEmailProps } from "@/lib/email/templates/invitation-email";

const now = new Date("2026-12-02T06:30:00Z");
const props: InvitationEmailProps = {
  inviterName: "Alice",
  teamName: "Acme",
  role: "member",
  acceptUrl: "https://app.example.com/invitations/abc",
  expiresAt: new Date("2026-12-09T06:30:00Z"),
  now,
};
const text = (overrides: Partial<InvitationEmailProps> = {}) =>
  render(InvitationEmail({ ...props, ...overrides }), { plainText: true });

describe("the invitation email", () => {
  it("says who invited them, to which team, as what, and until when the link works", async () => {
    const body = await text();
    expect(body).toContain("Alice invited you to join the team Acme as a member.");
    expect(body).toContain("https://app.example.com/invitations/abc");
    expect(body).toContain("The link expires in 7 days, on Wednesday, 9 December 2026 at 06:30 UTC");
    expect(body).toContain("You can ignore this email");
    expect(await text({ role: "owner" })).toContain("as an owner.");
  });

  it("says how long is left when it goes late (a retry, a replay)", async () => {
    expect(await text({ now: new Date("2026-12-08T06:30:00Z") })).toContain("expires in 1 day,");
    expect(await text({ now: new Date("2026-12-09T00:00:00Z") })).toContain("expires in less than a day,");
  });

  it("names nobody when the inviter's account is gone, and keeps names on one line", async () => {
    expect(await text({ inviterName: null })).toContain("Someone invited you to join the team Acme");
    expect(invitationEmailSubject({ teamName: "Acme\r\nBcc: x", inviterName: " Alice\n" })).toBe(
      "Alice invited you to join Acme Bcc: x on Offload",
    );
    expect(invitationEmailSubject({ teamName: "Acme", inviterName: null })).toBe("You're invited to join Acme on Offload");
  });
});
