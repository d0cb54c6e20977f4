export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "PGRST106's hint lists the exposed schemas in their configured order",
  upstream: `**PGRST106 hint: exposed schemas listed in the configured order, as PostgREST does**

PostgREST answers a request for a schema outside \`db-schemas\` with 406 \`PGRST106\`,
\`"Invalid schema: <name>"\` and the hint \`"Only the following schemas are exposed: <db-schemas>"\`,
the schemas in the order they are configured (\`src/library/PostgREST/ApiRequest.hs\`:
\`UnacceptableSchema p $ toList configDbSchemas\`; \`Error.hs\` joins them with ", "). The order
matters: the first schema is the default one.

lite sorts them alphabetically (in the Data API's profile check and in the OpenAPI root's),
so \`api.schemas = ["public", "api"]\` gives "api, public".

Fix: join the configured list as it is, without \`.sort()\`.`,
  edits: [
    { find: `n=()=>[...e].sort().join(", ")`, replace: `n=()=>[...e].join(", ")` },
    { find: `let a=[...o].sort().join(", ");return T(406,"PGRST106"`, replace: `let a=[...o].join(", ");return T(406,"PGRST106"` },
  ],
};
