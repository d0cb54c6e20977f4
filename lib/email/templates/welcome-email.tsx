import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export type WelcomeEmailProps = { displayName: string; dashboardUrl: string };

export const welcomeEmailSubject = "Welcome to Offload";

export function WelcomeEmail({ displayName, dashboardUrl }: WelcomeEmailProps) {
  return (
    <EmailLayout preview="Your workspace is ready.">
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Welcome, {displayName}
      </Heading>
      <Text style={paragraph}>
        Your workspace is ready. Ask for a report and watch it build, or leave and we&apos;ll email you when
        it&apos;s done.
      </Text>
      <Button
        href={dashboardUrl}
        style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", fontSize: 15, padding: "12px 20px" }}
      >
        Open your dashboard
      </Button>
    </EmailLayout>
  );
}
