import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export type ReportEmailProps = { reportName: string; jobUrl: string };

export const reportReadySubject = "Your report is ready";
export const reportFailedSubject = "Your report could not be generated";

const button = { backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", fontSize: 15, padding: "12px 20px" };

/**
 * `size` is `describeReportSize`'s: "180 rows summarising 535,159 activities".
 * `keptForDays` is the retention the cleanup cron applies to completed jobs.
 */
export function ReportReadyEmail({
  reportName,
  jobUrl,
  size,
  keptForDays,
}: ReportEmailProps & { size: string; keptForDays: number }) {
  return (
    <EmailLayout preview={`${reportName} is ready to download.`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Your report is ready
      </Heading>
      <Text style={paragraph}>
        {reportName} has finished: {size}. It stays available for {keptForDays} days.
      </Text>
      <Button href={jobUrl} style={button}>
        Open the report
      </Button>
    </EmailLayout>
  );
}

/** `reason` is what the status API shows the user (lib/jobs/view.ts), never the internal error. */
export function ReportFailedEmail({ reportName, jobUrl, reason }: ReportEmailProps & { reason: string }) {
  return (
    <EmailLayout preview={`${reportName} could not be generated.`}>
      <Heading as="h1" style={{ fontSize: 22, margin: "0 0 16px" }}>
        Your report could not be generated
      </Heading>
      <Text style={paragraph}>{reportName} could not be generated.</Text>
      <Text style={paragraph}>{reason}</Text>
      <Button href={jobUrl} style={button}>
        See what happened
      </Button>
    </EmailLayout>
  );
}
