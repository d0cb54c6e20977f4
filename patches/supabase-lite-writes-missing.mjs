// `?columns=` with `Prefer: missing=default` (supabase-js `defaultToNull: false`) and without it
// (missing=null, PostgREST's default): what is written, and what comes back.
export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "?columns= writes NULL for a missing key, or the column default with Prefer: missing=default, and returns what was written",
  upstream: `**\`?columns=\` ignores \`Prefer: missing\`: defaults are written where PostgREST writes NULL, and the representation shows NULL where a default was written**

PostgREST builds the written rows from \`?columns=\` (supabase-js sends it for every bulk insert/upsert): a key missing from an object is NULL, or the column's default (identity columns: the next sequence value) with \`Prefer: missing=default\`; an upsert with \`resolution=merge-duplicates\` updates every column of \`columns\` from \`EXCLUDED\` (docs: references/api/tables_views.rst "Specifying Columns", references/api/preferences.rst "Missing"; source: \`Query/SqlFragment.hs\` \`fromJsonBodyF\`, \`Query/QueryBuilder.hs\` \`mutatePlanToQuery\`, \`SchemaCache.hs\` \`column_default\`).

lite drops the missing keys, so the database fills in defaults in both modes, then overwrites the returned rows with NULL for every missing key (\`Mm\`) in both modes. So with \`missing=default\` (\`defaultToNull: false\`) a bulk insert answers \`id: null\` for rows that got an id; without it, a row without its \`not null\` key is accepted locally and refused (23502) by PostgREST. An upsert only updates the first row's keys.

Fix: fill a missing key with \`null\` unless \`missing=default\`; return the rows as written (no overwrite); update every column of \`columns\` on conflict, as PostgREST does.`,
  edits: [
    {
      // Arrays: a key of ?columns= missing from a row is NULL unless missing=default.
      find: `for(let O of _)O in E&&(x[O]=E[O]);return x}`,
      replace: `for(let O of _)O in E?x[O]=E[O]:m.missing!=="default"&&(x[O]=null);return x}`,
    },
    {
      // A single object, the same.
      find: `for(let x of _)x in e.values&&(E[x]=e.values[x]);`,
      replace: `for(let x of _)x in e.values?E[x]=e.values[x]:m.missing!=="default"&&(E[x]=null);`,
    },
    {
      // The representation is what the database returned, not NULL for every missing key.
      find: `function Mm(t,e,n){return !e?.length`,
      replace: `function Mm(t,e,n){return t;return !e?.length`,
    },
    {
      // ON CONFLICT DO UPDATE: every column of ?columns= (else of any row), not the first row's keys.
      find: `let c=Array.isArray(s)?s[0]:s,u=Object.keys(c)`,
      replace: `let c=Array.isArray(s)?Object.assign({},...s):s,u=(t.$meta?.columns??Object.keys(c))`,
    },
  ],
};
