import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export type AlertEmailProps = {
  title: string;
  detail: string;
  openedAt: string;
  consoleUrl: string;
};

/** One email per incident: the subject says what is wrong, so it reads from the inbox list. */
export const alertEmailSubject = (title: string) => `Alert: ${title}`;

export function AlertEmail({ title, detail, openedAt, consoleUrl }: AlertEmailProps) {
  const since = new Date(openedAt).toUTCString();
  return (
    <EmailLayout preview={detail}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        {title}
      </Heading>
      <Text style={paragraph}>{detail}</Text>
      <Text style={{ ...paragraph, color: "#4b5563" }}>
        Since {since}. You will hear once more when it has cleared; the operations console shows it until then.
      </Text>
      <ConsoleButton href={consoleUrl} />
    </EmailLayout>
  );
}

export type AlertResolvedEmailProps = AlertEmailProps & { resolvedAt: string };

/** The incident's one follow-up: the rule passes again. */
export const alertResolvedEmailSubject = (title: string) => `Resolved: ${title}`;

export function AlertResolvedEmail({ title, openedAt, resolvedAt, consoleUrl }: AlertResolvedEmailProps) {
  return (
    <EmailLayout preview={`Cleared at ${new Date(resolvedAt).toUTCString()}.`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Resolved: {title}
      </Heading>
      <Text style={paragraph}>
        The rule passes again: this alert opened at {new Date(openedAt).toUTCString()} and cleared at{" "}
        {new Date(resolvedAt).toUTCString()}.
      </Text>
      <ConsoleButton href={consoleUrl} />
    </EmailLayout>
  );
}

function ConsoleButton({ href }: { href: string }) {
  return (
    <Button href={href} style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", fontSize: 15, padding: "12px 20px" }}>
      Open the operations console
    </Button>
  );
}
