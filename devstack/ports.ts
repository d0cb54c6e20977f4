/** The ports `supabase start` and `npx inngest-cli dev` use, so either official tool can replace a devstack part. */
export const DEFAULT_PORTS = {
  supabase: 54321,
  inngest: 8288,
  mail: 54324,
  /** Ours alone (the webhook catcher), next to the mail UI's; `supabase start` uses it only if its SMTP port is turned on. */
  webhooks: 54325,
} as const;
