import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * The server's environment. Each variable's description says what a valid value looks
 * like; it is quoted in the error when the variable is missing or wrong. Add new
 * variables here (INNGEST_*, RESEND_*, ...) and read them through `env()`.
 */
const serverEnvSchema = z.object({
  APP_URL: httpUrl.describe("the app's public URL, e.g. http://localhost:3000"),
  SUPABASE_URL: httpUrl.describe("your Supabase project's API URL, e.g. http://127.0.0.1:54321"),
  // The prefixes catch the two keys being swapped: the secret key bypasses row-level security.
  SUPABASE_PUBLISHABLE_KEY: z
    .string()
    .startsWith("sb_publishable_")
    .describe("your Supabase project's publishable key, starting with sb_publishable_"),
  SUPABASE_SECRET_KEY: z
    .string()
    .startsWith("sb_secret_")
    .describe("your Supabase project's secret key, starting with sb_secret_"),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

type EnvName = keyof typeof serverEnvSchema.shape;

/** Validates `source` against the schema, reporting every bad variable at once. */
export function parseEnv(source: Record<string, string | undefined>): ServerEnv {
  // Treat `FOO=` like an unset variable, so a blank line in an .env file reads as missing.
  const values = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = serverEnvSchema.safeParse(values);
  if (result.success) return result.data;

  const names = new Set(result.error.issues.map((issue) => issue.path[0] as EnvName));
  const problems = [...names].map((name) => {
    const state = values[name] === undefined ? "is missing" : "is invalid";
    return `  ${name} ${state}: expected ${serverEnvSchema.shape[name].description}`;
  });
  throw new Error(`Invalid environment variables:\n${problems.join("\n")}`);
}

let cached: ServerEnv | undefined;

/** The validated environment, parsed on first use so builds don't need secrets. */
export function env(): ServerEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
