import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/errors";
import { teamsError } from "@/lib/teams/errors";

describe("teamsError", () => {
  it("answers accept_invitation's email_unconfirmed (42501) as a 403 that says what to do", () => {
    const error = teamsError("accept the invitation", {
      code: "42501",
      hint: "email_unconfirmed",
      message: "confirm your email address before accepting an invitation",
    });
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 403, code: "email_unconfirmed", message: expect.stringMatching(/^Confirm your email address/) });
  });

  it("keeps a refusal it doesn't know for a 500 (an Error, not the caller's fault)", () => {
    const error = teamsError("accept the invitation", { code: "42501", message: "permission denied for function accept_invitation" });
    expect(error).not.toBeInstanceOf(HttpError);
  });
});
