import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { z } from "zod";
import { startMail } from "@/devstack/mail/server";
import { resendAuthMail } from "@/devstack/supabase/auth-mail";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { startSupabase } from "@/devstack/supabase/server";
import { signUpUser } from "../../support/supabase";
import { createTestDatabase } from "../../support/databases";
import { freePort } from "../../support/free-port";

/**
 * supabase/config.toml reaches the stand-in as it reaches `supabase start`: the [api]
 * section decides what the Data API exposes, PostgREST's in-database settings on the
 * `authenticator` role are honoured, and the [auth] settings reach the Auth server.
 */

const projectSupabaseDir = path.resolve(import.meta.dirname, "../../../supabase");
const noSession = { auth: { persistSession: false, autoRefreshToken: false } };

/** A stack of its own over a copy of config.toml edited by `edit`, with `migration` applied. */
async function startOwnStack(edit: (config: string) => string, migration: string) {
  const root = await mkdtemp(path.join(tmpdir(), "offload-config-"));
  const dir = path.join(root, "supabase");
  await mkdir(path.join(dir, "migrations"), { recursive: true });
  await writeFile(path.join(dir, "config.toml"), edit(await readFile(path.join(projectSupabaseDir, "config.toml"), "utf8")));
  await symlink(path.join(projectSupabaseDir, "templates"), path.join(dir, "templates"));
  await writeFile(path.join(dir, "migrations", "20260101000000_config_test.sql"), migration);
  await writeFile(path.join(dir, "seed.sql"), "");
  const database = await createTestDatabase(inject("database"));
  const mail = await startMail({ port: await freePort() });
  // PGlite writes its runtime status to process.exitCode (see tests/support/global-setup.ts).
  const exitCodeBefore = process.exitCode;
  const stack = await startSupabase({
    projectDir: dir,
    port: await freePort(),
    databaseUrl: database.databaseUrl,
    authMail: resendAuthMail({ url: mail.url }),
  });
  process.exitCode = exitCodeBefore;
  return {
    url: stack.url,
    mailUrl: mail.url,
    query: stack.query,
    close: async () => {
      await stack.close();
      process.exitCode = exitCodeBefore;
      await mail.close();
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

const replaceOnce = (text: string, find: string, replacement: string) => {
  if (text.split(find).length !== 2) throw new Error(`config.toml no longer has exactly one ${find}`);
  return text.replace(find, replacement);
};

type SmtpMessage = { from: string; to: string[]; data: string };

/**
 * The least of an SMTP server (RFC 5321) that nodemailer delivers to: EHLO with AUTH PLAIN,
 * MAIL, RCPT, DATA, QUIT. Each delivered message is kept, so a test reads what Auth sent.
 */
async function startSmtpSink() {
  const messages: SmtpMessage[] = [];
  const server = createServer((socket) => {
    let buffer = "";
    let data: string[] | null = null;
    let message: SmtpMessage = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 sink ESMTP");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let end = buffer.indexOf("\r\n");
      while (end !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\r\n");
        if (data) {
          if (line === ".") {
            messages.push({ ...message, data: data.join("\r\n") });
            message = { from: "", to: [], data: "" };
            data = null;
            reply("250 queued");
          } else data.push(line.startsWith("..") ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") {
          socket.write("250-sink\r\n250-AUTH PLAIN\r\n250 OK\r\n");
        } else if (verb === "AUTH") {
          reply("235 accepted");
        } else if (verb === "MAIL") {
          message.from = line.slice(10);
          reply("250 OK");
        } else if (verb === "RCPT") {
          message.to.push(line.slice(8));
          reply("250 OK");
        } else if (verb === "DATA") {
          data = [];
          reply("354 go on");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else {
          reply("250 OK");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the SMTP sink has no port");
  return {
    port: address.port,
    messagesTo: (address: string) => messages.filter((m) => m.to.some((to) => to.includes(address))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A quoted-printable MIME body as text (nodemailer encodes HTML parts so). */
const fromQuotedPrintable = (text: string) =>
  text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Until the server has handled a notification: a signal, not a timing (vi.waitFor's default is 1 s). */
const reloaded = { timeout: 15_000, interval: 50 };

const restErrorSchema = z.object({ code: z.string(), message: z.string(), details: z.string().nullable(), hint: z.string().nullable() });

describe("config.toml on the project's own stack", () => {
  const service = () => createClient(inject("supabaseUrl"), LOCAL_SECRET_KEY, noSession);
  const anon = () => createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, noSession);

  // PostgREST: ApiRequest.hs refuses a profile outside db-schemas with UnacceptableSchema;
  // Error.hs: 406, PGRST106, "Invalid schema: …", hint "Only the following schemas are exposed: …".
  it("answers a schema [api] doesn't list with 406 PGRST106, naming the exposed ones", async () => {
    const result = await service().schema("not_exposed").from("anything").select("*");
    expect(result.status).toBe(406);
    expect(restErrorSchema.parse(result.error)).toEqual({
      code: "PGRST106",
      message: "Invalid schema: not_exposed",
      details: null,
      hint: "Only the following schemas are exposed: public",
    });
  });

  // PostgREST docs (references/api/aggregate_functions): aggregates are off unless
  // db-aggregates-enabled; hosted projects keep PostgREST's default. Error.hs:
  // AggregatesNotAllowed → 400 PGRST123 "Use of aggregate functions is not allowed".
  it("refuses aggregates while the authenticator role doesn't enable them, with PGRST123", async () => {
    const result = await service().from("organisations").select("id.count()");
    expect(result.status).toBe(400);
    expect(restErrorSchema.parse(result.error)).toEqual({
      code: "PGRST123",
      message: "Use of aggregate functions is not allowed",
      details: null,
      hint: null,
    });
  });

  // GoTrue internal/api/api.go, the /signup route: no email and no phone with anonymous
  // users off → 422 anonymous_provider_disabled "Anonymous sign-ins are disabled".
  it("refuses anonymous sign-ins, which config.toml leaves off", async () => {
    const { data, error } = await anon().auth.signInAnonymously();
    expect(data.session).toBeNull();
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("anonymous_provider_disabled");
    expect(error?.message).toBe("Anonymous sign-ins are disabled");
  });

  // Hosted projects sign sessions with an asymmetric key and publish it at
  // /auth/v1/.well-known/jwks.json; auth-js GoTrueClient.getClaims() then verifies the
  // token with WebCrypto and only falls back to GET /user for HS* tokens or no kid.
  it("signs sessions with ES256 and a kid, so getClaims() verifies against the JWKS without GET /user", async () => {
    const { email, password } = await signUpUser("Claims");
    const calls: string[] = [];
    const recording = createClient(inject("supabaseUrl"), LOCAL_PUBLISHABLE_KEY, {
      ...noSession,
      global: { fetch: (input, init) => (calls.push(new Request(input).url), fetch(input, init)) },
    });
    const signedIn = await recording.auth.signInWithPassword({ email, password });
    expect(signedIn.error).toBeNull();
    const { data, error } = await recording.auth.getClaims();
    expect(error).toBeNull();
    expect(data?.header).toMatchObject({ alg: "ES256", kid: expect.any(String), typ: "JWT" });
    // GoTrue internal/tokens/service.go AccessTokenClaims: the user's phone, metadata and is_anonymous too.
    expect(data?.claims).toMatchObject({
      sub: signedIn.data.user?.id,
      role: "authenticated",
      aud: "authenticated",
      email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: { display_name: "Claims" },
      is_anonymous: false,
    });
    expect(data?.claims.session_id).toEqual(expect.any(String));
    expect(calls.some((url) => url.endsWith("/auth/v1/.well-known/jwks.json"))).toBe(true);
    expect(calls.some((url) => new URL(url).pathname === "/auth/v1/user")).toBe(false);
    // The Data API accepts the same token.
    const rows = await recording.from("memberships").select("user_id");
    expect(rows.error).toBeNull();
    expect(rows.data).toEqual([{ user_id: signedIn.data.user?.id }]);
  });

  it("publishes only the signing keys' public parts", async () => {
    const response = await fetch(`${inject("supabaseUrl")}/auth/v1/.well-known/jwks.json`, { headers: { apikey: LOCAL_PUBLISHABLE_KEY } });
    expect(response.status).toBe(200);
    const { keys } = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).parse(await response.json());
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: expect.any(String), key_ops: ["verify"] });
    expect(keys[0]).not.toHaveProperty("d");
  });

  // GoTrue's password check (internal/api/password.go): 422 weak_password, reasons ["length"].
  it("keeps minimum_password_length = 8", async () => {
    const { error } = await anon().auth.signUp({ email: `short-${randomUUID()}@example.com`, password: "seven77" });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe("weak_password");
  });
});

describe("config.toml settings on a stack of their own", () => {
  const schema = `extra_${randomUUID().slice(0, 8)}`;
  let stack: Awaited<ReturnType<typeof startOwnStack>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let service: SupabaseClient;
  let anon: SupabaseClient;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // config.toml reads the SMTP password from the environment, as a real one would.
    process.env.CONFIG_TEST_SMTP_PASS = "smtp-password";
    stack = await startOwnStack(
      (config) => {
        let edited = replaceOnce(config, `schemas = ["public"]`, `schemas = ["public", "${schema}"]`);
        edited = replaceOnce(edited, `max_rows = 1000`, `max_rows = 2`);
        edited = replaceOnce(edited, `enable_signup = true\n# Mirrored`, `enable_signup = true\nenable_anonymous_sign_ins = true\n# Mirrored`);
        edited = replaceOnce(edited, `otp_length = 6`, `otp_length = 8`);
        const smtpSection = [
          `[auth.email.smtp]`,
          `host = "127.0.0.1"`,
          `port = ${smtp.port}`,
          `user = "auth"`,
          `pass = "env(CONFIG_TEST_SMTP_PASS)"`,
          `admin_email = "no-reply@config-test.example"`,
          `sender_name = "Config Test"`,
        ].join("\n");
        return `${edited}\n${smtpSection}\n`;
      },
      `create schema ${schema};
       grant usage on schema ${schema} to anon, authenticated, service_role;
       create table ${schema}.things (id int primary key, name text not null);
       grant select on ${schema}.things to service_role;
       create table public.numbers (n int primary key);
       grant select on public.numbers to service_role;
       insert into ${schema}.things values (1, 'one'), (2, 'two'), (3, 'three');
       insert into public.numbers select generate_series(1, 5);`,
    );
    service = createClient(stack.url, LOCAL_SECRET_KEY, noSession);
    anon = createClient(stack.url, LOCAL_PUBLISHABLE_KEY, noSession);
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  it("serves a schema [api] schemas lists", async () => {
    const result = await service.schema(schema).from("things").select("id, name").eq("id", 2);
    expect(result.error).toBeNull();
    expect(result.data).toEqual([{ id: 2, name: "two" }]);
  });

  it("lists the exposed schemas in config order in PGRST106's hint", async () => {
    const result = await service.schema("not_exposed").from("things").select("*");
    expect(result.status).toBe(406);
    expect(result.error?.hint).toBe(`Only the following schemas are exposed: public, ${schema}`);
  });

  // PostgREST db-max-rows (CLI: [api] max_rows): at most that many rows per response.
  it("caps a response at [api] max_rows", async () => {
    const result = await service.from("numbers").select("n").order("n");
    expect(result.error).toBeNull();
    expect(result.data).toEqual([{ n: 1 }, { n: 2 }]);
  });

  // PostgREST reads pgrst.* role settings of the authenticator at start and on
  // `notify pgrst, 'reload config'` (Config/Database.hs, AppState/Reload.hs); Supabase's
  // docs enable aggregates with `alter role authenticator set …` and that notify. Roles are
  // shared by every database on a PostgreSQL server, so this test sets it for its database
  // only (`in database`), which PostgREST reads first.
  it("enables aggregates by the authenticator's pgrst.db_aggregates_enabled on reload config", async () => {
    const before = await service.from("numbers").select("n.sum()");
    expect(before.error?.code).toBe("PGRST123");
    const { db } = z.tuple([z.object({ db: z.string() })]).parse(await stack.query("select current_database() as db"))[0];
    await stack.query(`alter role authenticator in database "${db}" set pgrst.db_aggregates_enabled = 'true'`);
    await stack.query(`notify pgrst, 'reload config'`);
    await vi.waitFor(async () => {
      const after = await service.from("numbers").select("n.sum()");
      expect(after.error).toBeNull();
      expect(after.data).toEqual([{ sum: 15 }]);
    }, reloaded);
    await stack.query(`alter role authenticator in database "${db}" reset pgrst.db_aggregates_enabled`);
    await stack.query(`notify pgrst, 'reload config'`);
    await vi.waitFor(async () => {
      expect((await service.from("numbers").select("n.sum()")).error?.code).toBe("PGRST123");
    }, reloaded);
  });

  // GoTrue internal/api/anonymous.go SignupAnonymously: a user with is_anonymous = true, no
  // email, the data as user metadata, and a session.
  it("signs in anonymously when enable_anonymous_sign_ins is on", async () => {
    const { data, error } = await anon.auth.signInAnonymously({ options: { data: { nickname: "guest" } } });
    expect(error).toBeNull();
    expect(data.session?.access_token).toEqual(expect.any(String));
    expect(data.user).toMatchObject({ is_anonymous: true, email: "", user_metadata: { nickname: "guest" }, identities: [] });
    const signedIn = createClient(stack.url, LOCAL_PUBLISHABLE_KEY, {
      ...noSession,
      global: { headers: { Authorization: `Bearer ${data.session?.access_token ?? ""}` } },
    });
    const user = await signedIn.auth.getUser(data.session?.access_token);
    expect(user.error).toBeNull();
    expect(user.data.user?.id).toBe(data.user?.id);
    expect(user.data.user?.is_anonymous).toBe(true);
    // The claim policies read: Supabase's anonymous sign-in guide checks auth.jwt()->>'is_anonymous'.
    const claims = await anon.auth.getClaims(data.session?.access_token);
    expect(claims.data?.claims).toMatchObject({ is_anonymous: true, user_metadata: { nickname: "guest" } });
  });

  // GoTrue mails a code of GOTRUE_MAILER_OTP_LENGTH digits ([auth.email] otp_length), and
  // with [auth.email.smtp] sends it through that server, from admin_email / sender_name.
  it("mails sign-in codes of [auth.email] otp_length digits through [auth.email.smtp]", async () => {
    const email = `otp-${randomUUID()}@example.com`;
    const { error } = await anon.auth.signInWithOtp({ email });
    expect(error).toBeNull();
    const [message] = smtp.messagesTo(email);
    expect(message?.from).toContain("no-reply@config-test.example");
    expect(message?.data).toContain("From: Config Test <no-reply@config-test.example>");
    // lite's default magic-link email shows the code as an element's whole text.
    const code = />(\d+)</.exec(fromQuotedPrintable(message?.data ?? ""))?.[1];
    expect(code).toHaveLength(8);
    // type "magiclink" (GoTrue takes it like "email", which lite 0.10 refuses for a code).
    const verified = await anon.auth.verifyOtp({ email, token: code ?? "", type: "magiclink" });
    expect(verified.error).toBeNull();
  });
});
