// Hosted Supabase runs PostgREST with its default `db-tx-end = commit`: `Prefer: tx=...` is not
// honoured there, so the write is kept and the preference is not echoed in Preference-Applied.
export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Prefer: tx is ignored, as PostgREST does with its default db-tx-end = commit",
  upstream: `**Prefer: tx=rollback is echoed in Preference-Applied, but the request commits**

PostgREST honours \`Prefer: tx=commit|rollback\` only when \`db-tx-end\` is \`commit-allow-override\` or \`rollback-allow-override\`. With the default (\`commit\`, which is also what Supabase projects and \`supabase start\` run), the preference is dropped while the request is parsed: the transaction commits and \`Preference-Applied\` does not list it (docs: references/api/preferences.rst "Transaction End Preference" and references/configuration.rst \`db-tx-end\`; source: \`ApiRequest/Preferences.hs\`, \`fromHeaders\` sets \`preferTransaction = Nothing\` unless the override is allowed).

lite parses \`tx\` into the request meta, echoes \`tx=rollback\` in \`Preference-Applied\` and then commits anyway (the per-request \`rollback\` flag is never read). A client (postgrest-js \`.rollback()\`) is told its dry run was rolled back when it was not.

Fix: until lite has a \`db_tx_end\` setting, treat \`tx\` as PostgREST does under the default: ignore it (not applied, not echoed). With a setting, honour it through the existing forced-rollback path of \`withContext\` and echo it only then.`,
  edits: [
    {
      find: `case "tx":r.tx===void 0&&(r.tx=i.value,i.value==="rollback"&&(r.rollback=true));break;`,
      replace: `case "tx":break;`,
    },
  ],
};
