/** The ports `supabase start` and `npx inngest-cli dev` (and an OpenTelemetry collector) use, so the official tool can replace a devstack part. */
export const DEFAULT_PORTS = {
  supabase: 54321,
  inngest: 8288,
  mail: 54324,
  /** Ours alone (the webhook catcher), next to the mail UI's; `supabase start` uses it only if its SMTP port is turned on. */
  webhooks: 54325,
  /** OTLP/HTTP's standard port, so a collector, Jaeger or Grafana's LGTM image can take the receiver's place. */
  otel: 4318,
} as const;
