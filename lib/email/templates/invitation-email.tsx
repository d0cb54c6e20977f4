import { Button, Heading, Link, Text } from "@react-email/components";
import type { Enums } from "@/lib/supabase/database.types";
import { EmailLayout, paragraph } from "./layout";

type Role = Enums<"membership_role">;

export type InvitationEmailProps = {
  /** Who sent it (display name, else address); null when their account is gone. */
  inviterName: string | null;
  teamName: string;
  role: Role;
  acceptUrl: string;
  expiresAt: Date;
  /** When the email is rendered, to say how long the link has left. */
  now: Date;
};

// Names are the team's and the inviter's own text: one line, whatever they typed.
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

export const invitationEmailSubject = ({ teamName, inviterName }: Pick<InvitationEmailProps, "teamName" | "inviterName">) =>
  inviterName
    ? `${oneLine(inviterName)} invited you to join ${oneLine(teamName)} on Offload`
    : `You're invited to join ${oneLine(teamName)} on Offload`;

const roleNames: Record<Role, string> = { owner: "an owner", admin: "an admin", member: "a member" };

const roleDuties: Record<Role, string> = {
  owner: "Owners manage everything about the team, including deleting it.",
  admin: "Admins invite people, manage members and rename the team.",
  member: "Members see the team's reports and jobs and ask for new ones.",
};

/** In UTC: the server doesn't know the invitee's time zone. */
const expiryFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone: "UTC" });

const DAY_MS = 24 * 60 * 60 * 1000;

/** "in 7 days": usually the whole week, less when a retry or replay sends it later. */
function timeLeft(expiresAt: Date, now: Date): string {
  const days = Math.round((expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (days < 1) return "in less than a day";
  return days === 1 ? "in 1 day" : `in ${days} days`;
}

export function InvitationEmail({ inviterName, teamName, role, acceptUrl, expiresAt, now }: InvitationEmailProps) {
  const who = inviterName ? oneLine(inviterName) : "Someone";
  const team = oneLine(teamName);
  return (
    <EmailLayout
      preview={`${who} invited you to join ${team} on Offload.`}
      reason="You are receiving this because someone invited this address to a team on Offload."
    >
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Join {team} on Offload
      </Heading>
      <Text style={paragraph}>
        {who} invited you to join the team <strong>{team}</strong> as {roleNames[role]}. {roleDuties[role]}
      </Text>
      <Button
        href={acceptUrl}
        style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", fontSize: 15, padding: "12px 20px" }}
      >
        Accept the invitation
      </Button>
      <Text style={paragraph}>
        Or open this link: <Link href={acceptUrl}>{acceptUrl}</Link>
      </Text>
      <Text style={paragraph}>
        The link expires {timeLeft(expiresAt, now)}, on {expiryFormat.format(expiresAt)} UTC, and works once. No account
        yet? You can create one from the link, with this address.
      </Text>
      <Text style={{ color: "#6b7280", fontSize: 13, lineHeight: "20px" }}>
        Not expecting this? You can ignore this email: nothing happens unless you accept.
      </Text>
    </EmailLayout>
  );
}
