import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { App } from "@supabase/lite";
import { createPgliteConnection, type PgliteConnection } from "@supabase/lite/pglite";
import { createPostgresConnection, type PostgresConnection } from "@supabase/lite/postgres";
import { SmtpEmailDriver, type EmailDriver } from "@supabase/lite";
import { z } from "zod";
import { withAuthMailGaps } from "./auth-mail";
import { liteApiConfig, liteAuthConfig, readProjectConfig, smtpSettings } from "./config";
import { LOCAL_JWT_SECRET, localSigningKey, resolveLocalApiKey, type SigningJwk } from "./keys";
import { enforceRoleTimeouts, gatewayRefusal, readRoleTimeouts } from "./hosted-limits";
import { applyInDbSettings, pgrstNotification, readInDbSettings, type MutableApiConfig } from "./in-db-config";
import { applyMigrations, type QueryRunner, type ScriptRunner } from "./migrations";

const here = path.dirname(fileURLToPath(import.meta.url));

export type SupabaseStackOptions = {
  /** The project's `supabase/` folder (config.toml, migrations/, seed.sql). */
  projectDir: string;
  port: number;
  host?: string;
  /** A PostgreSQL server to use instead of embedded PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; omitted = in memory (tests). */
  dataDir?: string;
  /** Where the Auth server's emails go (e.g. `resendAuthMail` → the local inbox); omitted = printed. */
  authMail?: EmailDriver;
  /**
   * Supabase's old default privileges: every API role gets everything created in `public`.
   * Hosted projects no longer have them; this exists only to show a migration still works
   * on an older project. Off unless asked for.
   */
  legacyDefaultGrants?: boolean;
  /** Called with every request the API receives, before it is served (benchmarks count them). */
  onRequest?: (request: Request) => void;
};

export type SupabaseStack = {
  url: string;
  database: "pglite" | "postgres";
  /** Runs SQL as the database owner, bypassing the API (tests, seeding, benchmarks). */
  query: QueryRunner;
  close: () => Promise<void>;
};

type Database = {
  connection: PgliteConnection | PostgresConnection;
  run: ScriptRunner;
  query: QueryRunner;
  /** LISTEN on a channel; resolves to the function that stops listening. */
  listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
};

async function openDatabase(options: Pick<SupabaseStackOptions, "databaseUrl" | "dataDir">): Promise<Database> {
  if (options.databaseUrl) {
    const connection = createPostgresConnection({
      url: options.databaseUrl,
      postgresOptions: { onnotice: () => {} },
    });
    const sql = connection.driver;
    return {
      connection,
      run: async (script) => {
        await sql.begin((tx) => tx.unsafe(script));
      },
      query: async <Row,>(text: string, params: unknown[] = []) =>
        (await sql.unsafe(text, params as never[])) as unknown as Row[],
      listen: async (channel, onPayload) => {
        const { unlisten } = await sql.listen(channel, onPayload);
        return unlisten;
      },
    };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const connection = await createPgliteConnection({ url: options.dataDir });
  const pg = connection.driver;
  return {
    connection,
    run: async (script) => {
      await pg.transaction((tx) => tx.exec(script));
    },
    query: async <Row,>(text: string, params: unknown[] = []) => (await pg.query<Row>(text, params)).rows,
    listen: async (channel, onPayload) => {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
  };
}

export type PreparedDatabase = Database & {
  /** Stops following the database's settings and closes the connection. */
  close: () => Promise<void>;
  app: App;
  /** lite's handler with the devstack's auth-mail gaps closed (auth-mail.ts): serve this. */
  fetch: (request: Request, env?: { peerAddress: string | null }) => Promise<Response>;
  kind: "pglite" | "postgres";
};

/**
 * Prepares a database the way a hosted Supabase project is today: roles, no default grants,
 * the auth schema, then `supabase/migrations` and `seed.sql` (each once, as the migration
 * owner), and the API roles' statement timeouts.
 */
export async function prepareDatabase(
  options: Pick<SupabaseStackOptions, "projectDir" | "databaseUrl" | "dataDir" | "authMail" | "legacyDefaultGrants"> & {
    /** false: the migrations alone, as `supabase db push` leaves a hosted project (the generated types). */
    seed?: boolean;
  },
): Promise<PreparedDatabase> {
  const config = await readProjectConfig(options.projectDir);
  const auth = liteAuthConfig(config.auth, options.projectDir);
  const smtp = smtpSettings(config.auth);
  // As on a hosted project with custom SMTP: with [auth.email.smtp] on, Auth mail goes there.
  const mail: EmailDriver | undefined = smtp
    ? new SmtpEmailDriver({
        host: smtp.host,
        port: smtp.port,
        user: smtp.user,
        pass: smtp.pass,
        from: smtp.senderName ? { name: smtp.senderName, address: smtp.adminEmail } : smtp.adminEmail,
        // Port 465 is implicit TLS; elsewhere GoTrue's mailer upgrades with STARTTLS when offered.
        secure: smtp.port === 465,
        requireTls: false,
      })
    : options.authMail;
  const signingKeys = await readSigningKeys(options.projectDir, config.auth.signing_keys_path);
  const db = await openDatabase(options);

  await db.run(await readFile(path.join(here, "bootstrap.sql"), "utf8"));
  if (options.legacyDefaultGrants) await db.run(await readFile(path.join(here, "legacy-default-grants.sql"), "utf8"));
  const app = new App({
    connection: db.connection,
    api: liteApiConfig(config.api),
    auth: { ...auth, jwt_secret: LOCAL_JWT_SECRET, signing_keys: signingKeys },
    options: {
      server: { apiKeys: { resolver: resolveLocalApiKey }, admin: false },
      ...(mail && { drivers: { email: mail } }),
    },
  });
  await app.ensureSystemSchema();
  await db.run(await readFile(path.join(here, "auth-grants.sql"), "utf8"));
  await applyMigrations(db, {
    migrationsDir: path.join(options.projectDir, "migrations"),
    seedFile: options.seed === false ? undefined : path.join(options.projectDir, "seed.sql"),
  });
  await db.connection.clearSchemaCache();
  const kind = options.databaseUrl ? "postgres" : "pglite";
  enforceRoleTimeouts(db.connection, { timeouts: await readRoleTimeouts(db.query), query: db.query, kind });
  const stopListening = await followInDbConfig(db, app);
  const fetch = withAuthMailGaps((request, env) => app.fetch(request, env), {
    query: db.query,
    driver: mail ?? { send: async (message) => console.log(`[auth mail] ${message.to}: ${message.subject}`) },
    settings: {
      siteUrl: auth.site_url,
      confirmations: config.auth.email.enable_confirmations,
      maxFrequencySeconds: config.auth.email.max_frequency,
      otpLength: config.auth.email.otp_length,
      confirmation: auth.email.template.confirmation,
    },
  });
  return {
    ...db,
    app,
    fetch,
    kind,
    close: async () => {
      await stopListening();
      await db.connection.close();
    },
  };
}

const signingKeysSchema = z.array(z.looseObject({ kty: z.enum(["EC", "RSA"]), kid: z.string().optional(), alg: z.enum(["ES256", "RS256"]) })).min(1);

/**
 * The keys sessions are signed with: `[auth] signing_keys_path` (relative to supabase/, a
 * JSON array of private JWKs from `supabase gen signing-key`; the first one signs), else
 * the devstack's own ES256 key. Hosted projects sign with asymmetric keys too.
 */
async function readSigningKeys(projectDir: string, signingKeysPath: string | undefined): Promise<SigningJwk[]> {
  if (!signingKeysPath) return [localSigningKey()];
  const file = path.resolve(projectDir, signingKeysPath);
  const parsed = signingKeysSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`supabase/config.toml: failed to decode signing keys in ${signingKeysPath}: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * PostgREST's in-database settings (in-db-config.ts): read now, again on
 * `notify pgrst, 'reload config'`; `notify pgrst` / `'reload schema'` reloads the schema cache.
 */
async function followInDbConfig(db: Database, app: App): Promise<() => Promise<void>> {
  const api: MutableApiConfig = (app.config.api ??= {});
  applyInDbSettings(api, await readInDbSettings(db.query));
  let reloading = Promise.resolve();
  return db.listen("pgrst", (payload) => {
    const asked = pgrstNotification(payload);
    reloading = reloading
      .then(async () => {
        if (asked === "reload config") applyInDbSettings(api, await readInDbSettings(db.query));
        if (asked === "reload schema") await db.connection.clearSchemaCache();
      })
      .catch((error: unknown) => console.error("[supabase] could not reload PostgREST's settings:", error));
  });
}

/** Serves Supabase's Data API (`/rest/v1`) and Auth API (`/auth/v1`) from @supabase/lite. */
export async function startSupabase(options: SupabaseStackOptions): Promise<SupabaseStack> {
  const host = options.host ?? "127.0.0.1";
  const db = await prepareDatabase(options);
  const { onRequest } = options;
  const fetch: PreparedDatabase["fetch"] = onRequest ? (request, env) => (onRequest(request), db.fetch(request, env)) : db.fetch;
  const server = await listen(fetch, host, options.port).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  return {
    url: `http://${host}:${options.port}`,
    database: db.kind,
    // Hosted projects reload the API's schema cache after DDL (an event trigger notifies
    // PostgREST), so a table made in the SQL editor is served at once; so does this.
    query: async <Row,>(text: string, params?: unknown[]) => {
      const rows = await db.query<Row>(text, params);
      if (/^\s*(create|alter|drop|grant|revoke|comment)\b/im.test(text)) await db.connection.clearSchemaCache();
      return rows;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

function listen(fetch: PreparedDatabase["fetch"], hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        hostname,
        port,
        fetch: (request, env: { incoming: { socket: { remoteAddress?: string } } }) =>
          gatewayRefusal(request) ?? fetch(request, { peerAddress: env.incoming.socket.remoteAddress ?? null }),
      },
      () => resolve(server),
    );
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} is in use: is another devstack or \`supabase start\` running?`)
          : error,
      ),
    );
  });
}
