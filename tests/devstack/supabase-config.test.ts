import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { liteAuthConfig, parseProjectConfig, resolveEnvReferences, smtpSettings } from "@/devstack/supabase/config";

const projectDir = path.resolve(import.meta.dirname, "../../supabase");

/**
 * config.toml is read as the Supabase CLI reads it (apps/cli-go/pkg/config: viper's
 * UnmarshalExact over the `api`/`auth` structs, env(NAME) through LoadEnvHook).
 */
describe("reading supabase/config.toml", () => {
  it("reads the project's own config.toml", async () => {
    const config = parseProjectConfig(await readFile(path.join(projectDir, "config.toml"), "utf8"), {});
    expect(config.api).toMatchObject({ schemas: ["public"], extra_search_path: ["public", "extensions"], max_rows: 1000 });
    expect(config.auth).toMatchObject({
      site_url: "http://localhost:3000",
      minimum_password_length: 8,
      enable_anonymous_sign_ins: false,
      email: { enable_confirmations: true, max_frequency: 60, otp_length: 6, otp_expiry: 3600 },
    });
  });

  it("refuses a key the CLI doesn't know, naming it and its section", () => {
    expect(() => parseProjectConfig(`[auth]\nenable_anonymous_signins = true\n`, {})).toThrow(
      "'auth' has invalid keys: enable_anonymous_signins",
    );
    expect(() => parseProjectConfig(`[auth.email]\notp_lenght = 8\n`, {})).toThrow("'auth.email' has invalid keys: otp_lenght");
    expect(() => parseProjectConfig(`[api]\nschema = ["public"]\n`, {})).toThrow("'api' has invalid keys: schema");
    expect(() => parseProjectConfig(`[authentication]\nenabled = true\n`, {})).toThrow("'(top level)' has invalid keys: authentication");
  });

  it("accepts the CLI's whole [auth] surface, including what the stand-in can't honour", () => {
    const config = parseProjectConfig(
      [
        `[auth]`,
        `enable_manual_linking = true`,
        `password_requirements = "lower_upper_letters_digits"`,
        `[auth.rate_limit]`,
        `email_sent = 2`,
        `[auth.mfa.totp]`,
        `enroll_enabled = true`,
        `verify_enabled = true`,
        `[auth.sessions]`,
        `timebox = "24h"`,
        `inactivity_timeout = "8h30m"`,
        `[auth.hook.custom_access_token]`,
        `enabled = true`,
        `uri = "pg-functions://postgres/public/hook"`,
        `[auth.external.github]`,
        `enabled = true`,
        `client_id = "id"`,
        `[auth.third_party.clerk]`,
        `enabled = false`,
      ].join("\n"),
      {},
    );
    const lite = liteAuthConfig(config.auth, projectDir);
    expect(lite).toMatchObject({
      enable_manual_linking: true,
      password_requirements: "lower_upper_letters_digits",
      mfa: { totp: { enroll_enabled: true, verify_enabled: true }, max_enrolled_factors: 10 },
      // lite reads plain seconds; the CLI writes Go durations.
      sessions: { timebox: "86400s", inactivity_timeout: "30600s" },
      hook: { custom_access_token: { enabled: true, uri: "pg-functions://postgres/public/hook" } },
      external: { github: { enabled: true, client_id: "id" } },
    });
  });

  it("resolves env(NAME) as the CLI does; an unset variable leaves the key at its default", () => {
    expect(resolveEnvReferences({ a: "env(SET)", b: "env(UNSET)", c: ["env(SET)", "env(UNSET)", "x"] }, { SET: "value" })).toEqual({
      a: "value",
      c: ["value", "x"],
    });
    const text = `[auth]\nsite_url = "env(SITE)"\n`;
    expect(parseProjectConfig(text, { SITE: "https://app.example.com" }).auth.site_url).toBe("https://app.example.com");
    expect(parseProjectConfig(text, {}).auth.site_url).toBe("http://localhost:3000");
  });

  it("turns [auth.email.smtp] on when the section is there without `enabled`, as the CLI does", () => {
    const smtp = `[auth.email.smtp]\nhost = "smtp.example.com"\nport = 587\nuser = "u"\npass = "env(SMTP_PASS)"\nadmin_email = "auth@example.com"\nsender_name = "Offload"\n`;
    expect(smtpSettings(parseProjectConfig(smtp, { SMTP_PASS: "secret" }).auth)).toEqual({
      host: "smtp.example.com",
      port: 587,
      user: "u",
      pass: "secret",
      adminEmail: "auth@example.com",
      senderName: "Offload",
    });
    expect(smtpSettings(parseProjectConfig(`${smtp}enabled = false\n`, { SMTP_PASS: "secret" }).auth)).toBeUndefined();
    expect(() => smtpSettings(parseProjectConfig(smtp, {}).auth)).toThrow("[auth.email.smtp] is enabled but lacks pass");
  });

  it("refuses values the CLI refuses", () => {
    expect(() => parseProjectConfig(`[auth]\npassword_requirements = "strong"\n`, {})).toThrow("'auth.password_requirements'");
    expect(() => parseProjectConfig(`[auth.email]\nmax_frequency = "soon"\n`, {})).toThrow("'auth.email.max_frequency'");
  });
});
