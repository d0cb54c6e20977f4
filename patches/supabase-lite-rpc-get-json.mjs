// A json/jsonb argument in the query string (GET RPC) or a form body reaches the function as the JSON it
// holds on PostgreSQL too, not as a JSON string.
const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "RPC: json/jsonb query-string and form arguments are not encoded twice on PostgreSQL",
  upstream: `**GET /rpc/f?p={"n":1} passes a JSON string to a jsonb parameter on the PostgreSQL driver**

PostgREST binds each query-string (or application/x-www-form-urlencoded body) argument as an untyped literal cast to the parameter's type (Query/QueryBuilder.hs \`callPlanToQuery\` \`fmtArgs\`: \`p := $1::jsonb\` with an unknown-typed parameter), so \`?p={"n":1}\` is the object {"n":1}.

lite 0.10.0 emits \`p := $1::jsonb\` too, but postgres.js types that parameter as jsonb and runs its json serializer (JSON.stringify) over the text, so on the PostgreSQL driver the function receives the string "{\\"n\\":1}" (\`p->>'n'\` is null; the result comes back as a string). PGlite is not affected.

Fix: cast json/jsonb arguments through text (\`$1::text::jsonb\`), so the driver sends the text unchanged.`,
  edits: [
    {
      find: 'x=E==="json"||E==="array"&&!Array.isArray(_)?ao(_):_;return sql`${sql.raw(y)} := ${x}::${sql.raw(b)}`',
      replace:
        'x=E==="json"||E==="array"&&!Array.isArray(_)?ao(_):_;return sql`${sql.raw(y)} := ${x}::${sql.raw(E==="json"?"text::"+b:b)}`',
    },
  ],
};

export default patch;
