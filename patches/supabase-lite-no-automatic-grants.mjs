// lite's first request with row-level security on grants ALL on every table in every RLS
// schema to anon, authenticated and service_role, and sets default privileges to match:
// the Data API grants hosted projects stopped giving (Supabase changelog 45329). Keep the
// part that creates the API roles; drop the grants, so the migrations' own grants decide.
const loop = (row, schema, quote, rows) =>
  `let ${rows}=await sql\`
         SELECT DISTINCT n.nspname FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relrowsecurity = true
      \`.execute(this.kysely);for(let{nspname:${row}}of ${rows}.rows){let ${schema}=${quote}(${row});` +
  [
    "GRANT USAGE ON SCHEMA ${s} TO ${A}",
    "GRANT ALL ON ALL TABLES IN SCHEMA ${s} TO ${A}",
    "GRANT ALL ON ALL SEQUENCES IN SCHEMA ${s} TO ${A}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ALL ON TABLES TO ${A}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ALL ON SEQUENCES TO ${A}",
  ]
    .map((statement) => `await sql.raw(\`${statement.replaceAll("${s}", `\${${schema}}`)}\`).execute(this.kysely)`)
    .join(",") +
  ";}";

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/db/postgres/PostgresConnection.js",
  title: "Don't grant the API roles everything in RLS schemas",
  upstream: `Postgres connections: don't grant ALL on RLS schemas to the API roles

On the first request that finds a table with row-level security, ensureRlsContext() creates
anon, authenticated and service_role if missing (good) and then runs, for every schema holding
an RLS table, GRANT ALL ON ALL TABLES / SEQUENCES and ALTER DEFAULT PRIVILEGES ... GRANT ALL
to those roles. That silently overrides the project's own grants: a migration that grants
authenticated only SELECT, or revokes a column, is undone at runtime. Hosted Supabase no longer
grants new tables to the API roles at all (changelog 45329: default for new projects since
2026-05-30, for every project since 2026-10-30), so code that works on lite answers 42501 in
production.

Fix: keep creating the roles, drop the grants (or put them behind an option that defaults off,
for projects that still expect the old default privileges).`,
  edits: [
    { find: loop("o", "a", "ne", "s"), replace: "", file: "dist/db/postgres/pglite/PgliteConnection.js" },
    { find: loop("t", "o", "F", "i"), replace: "" },
  ],
};
