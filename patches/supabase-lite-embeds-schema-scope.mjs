// Embeds resolve within the request's schema, as PostgREST's schema cache does: a table
// named like one in another schema (public.users beside auth.users) embeds as itself.
const scope =
  // Introspection as seen from one schema: its own tables shadow same-named ones elsewhere,
  // and only foreign keys between two of its tables are relationships. Cached per snapshot.
  "function __embedsScope(t,g){if(!t||!g)return t;let c=__embedsScope.c??=new WeakMap,m=c.get(t);m||c.set(t,m=new Map);let s=m.get(g);if(s)return s;" +
  "let S=x=>(x.schema||\"public\")===g,own=new Set([...(t.tables??[]),...(t.views??[])].filter(S).map(x=>x.name)),K=n=>x=>S(x)||!own.has(x[n]),F=(a,n)=>a&&a.filter(K(n));" +
  "s={...t,tables:F(t.tables,\"name\"),views:F(t.views,\"name\"),columns:F(t.columns,\"table\"),indexes:F(t.indexes,\"table\"),primary_keys:F(t.primary_keys,\"table\")," +
  "check_constraints:F(t.check_constraints,\"table\"),unique_constraints:F(t.unique_constraints,\"table\")," +
  "foreign_keys:t.foreign_keys&&t.foreign_keys.filter(x=>S(x)&&(x.ref_schema??x.schema??\"public\")===g),request_schema:g};m.set(g,s);return s}";

const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Embeds resolve tables and relationships within the request's schema",
  upstream: `Embedding a table whose name also exists in another schema uses the other schema's table.

With \`public.users\` and \`public.messages(user_id references public.users)\` and the auth schema's
\`auth.users\` (every Supabase project has one), \`GET /rest/v1/messages?select=*,user:users(*)\` answers
400 \`42703 column messages.aud does not exist\`: the embed's \`*\` is expanded from the columns of every
table named \`users\` (public's and auth's), and relationship lookup matches foreign keys by table name
only, whatever their schema. PostgREST keeps only the exposed schemas in its schema cache and resolves an
embed among the relationships of the request's schema (\`removeInternal\` in src/PostgREST/SchemaCache.hs;
\`findRel\` in src/PostgREST/Plan.hs looks up \`(QualifiedIdentifier schema origin, schema)\`), so the
request above embeds \`public.users\`, and a foreign key into a schema that is not exposed is no
relationship at all. PGRST200's details also name the request's schema ("in the schema 'public'"),
where lite names the schema of the first foreign key it finds, or 'test'.

Fix: before planning a request, view the introspection from the request's schema (Content-Profile /
Accept-Profile, default public): its tables shadow same-named tables of other schemas, and only foreign
keys whose both ends are in it are relationships (this needs \`ref_schema\` in the introspected foreign
keys, which the Postgres and PGlite connections query but drop). PGRST200's details use that schema.`,
  edits: [
    { find: "function a_(t,e,n){", replace: `${scope}function a_(t,e,n){` },
    {
      find: "resolveFilters:(k,N,H)=>Ur(k,N,H,y)}),",
      replace: "resolveFilters:(k,N,H)=>Ur(k,N,H,y)}),l=__embedsScope(l,g),",
    },
    {
      find: 'let s=t?.foreign_keys?.find(o=>o.table===e||o.ref_table===e)?.schema||"test"',
      replace: 'let s=t?.request_schema||t?.foreign_keys?.find(o=>o.table===e||o.ref_table===e)?.schema||"public"',
    },
  ],
};
export default patch;
