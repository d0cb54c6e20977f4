import { Body, Container, Head, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/**
 * The frame every Offload email shares: preview line, a narrow column, a footer saying
 * why it came (`reason`: by default, the account; an invitation goes to people without one).
 */
export function EmailLayout({
  preview,
  reason = "You are receiving this because you have an Offload account.",
  children,
}: {
  preview: string;
  reason?: string;
  children: ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "ui-sans-serif, system-ui, sans-serif", margin: 0 }}>
        <Container style={{ backgroundColor: "#ffffff", margin: "32px auto", maxWidth: 560, padding: "32px" }}>
          <Text style={{ color: "#4f46e5", fontSize: 18, fontWeight: 700, margin: "0 0 24px" }}>Offload</Text>
          <Section>{children}</Section>
          <Hr style={{ borderColor: "#e5e7eb", margin: "32px 0 16px" }} />
          <Text style={{ color: "#6b7280", fontSize: 12, margin: 0 }}>{reason}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const paragraph = { color: "#111827", fontSize: 15, lineHeight: "24px" } as const;
