import { Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export type DigestLine = { type: string; count: number; totalAmount: number };

export type DigestEmailProps = {
  displayName: string;
  date: string;
  lines: DigestLine[];
  dashboardUrl: string;
  unsubscribeUrl: string;
};

export const digestSubject = (date: string) => `Your Offload digest for ${date}`;

const money = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function DigestEmail({ displayName, date, lines, dashboardUrl, unsubscribeUrl }: DigestEmailProps) {
  return (
    <EmailLayout preview={`What happened in your workspace in the last 24 hours.`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Good morning, {displayName}
      </Heading>
      <Text style={paragraph}>Here is what happened in your workspace in the 24 hours before {date}:</Text>
      <Section>
        {lines.map((line) => (
          <Text key={line.type} style={{ ...paragraph, margin: "4px 0" }}>
            <strong>{line.type}</strong>: {line.count.toLocaleString("en")}
            {line.totalAmount !== 0 ? ` (${money.format(line.totalAmount)})` : ""}
          </Text>
        ))}
      </Section>
      <Text style={paragraph}>
        <Link href={dashboardUrl}>Open your dashboard</Link>
      </Text>
      <Text style={{ color: "#6b7280", fontSize: 12 }}>
        You get this because you turned on the daily digest. <Link href={unsubscribeUrl}>Unsubscribe</Link>.
      </Text>
    </EmailLayout>
  );
}
