const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/db/postgres/PostgresConnection.js",
  title: "Introspected foreign keys keep the referenced table's schema",
  upstream: `The Postgres connections' introspection (postgres and pglite) selects \`ref_schema\` for each foreign
key but drops it when mapping the rows, so a foreign key into another schema (public.profiles → auth.users)
can't be told from one into a same-named table of the request's schema (public.users). PostgREST drops
relationships whose foreign table is outside the exposed schemas (\`removeInternal\` in
src/PostgREST/SchemaCache.hs). Fix: keep \`ref_schema\` in the mapped foreign key, in both connections.`,
  edits: [
    {
      find: "schema:n.schema,ref_table:n.ref_table,ref_column:n.ref_column,",
      replace: "schema:n.schema,ref_schema:n.ref_schema,ref_table:n.ref_table,ref_column:n.ref_column,",
    },
    {
      file: "dist/db/postgres/pglite/PgliteConnection.js",
      find: "schema:i.schema,ref_table:i.ref_table,ref_column:i.ref_column,",
      replace: "schema:i.schema,ref_schema:i.ref_schema,ref_table:i.ref_table,ref_column:i.ref_column,",
    },
  ],
};
export default patch;
