import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export type WebhookDisabledEmailProps = {
  teamName: string;
  endpointUrl: string;
  failingSince: string | null;
  lastError: string | null;
  webhooksUrl: string;
};

export const webhookDisabledSubject = "A webhook endpoint was turned off";

/** To a team's owners and admins, once per time an endpoint is turned off for failing. */
export function WebhookDisabledEmail({ teamName, endpointUrl, failingSince, lastError, webhooksUrl }: WebhookDisabledEmailProps) {
  const since = failingSince ? new Date(failingSince).toUTCString() : null;
  return (
    <EmailLayout preview={`${endpointUrl} kept failing and no longer receives events.`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        A webhook endpoint was turned off
      </Heading>
      <Text style={paragraph}>
        Every delivery to {endpointUrl} for {teamName} has failed{since ? ` since ${since}` : ""}, so it no longer
        receives events.{lastError ? ` The last error: ${lastError}.` : ""}
      </Text>
      <Text style={{ ...paragraph, color: "#4b5563" }}>
        Once the receiver works again, turn the endpoint back on and replay the failed messages from its delivery log.
      </Text>
      <Button
        href={webhooksUrl}
        style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", fontSize: 15, padding: "12px 20px" }}
      >
        Open webhooks
      </Button>
    </EmailLayout>
  );
}
