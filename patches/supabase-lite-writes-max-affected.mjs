// `Prefer: handling=strict, max-affected=n` (supabase-js `.maxAffected(n)`), as PostgREST 13.0.3+
// applies it: to PATCH, DELETE and RPC, not to inserts; echoed in Preference-Applied.
const tooMany = "Query result exceeds max-affected preference constraint";
const notSetof = "Function must return SETOF or TABLE when max-affected preference is used with handling=strict";

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "max-affected with handling=strict is enforced on RPC (PGRST124/PGRST128), not on inserts, and echoed",
  upstream: `**\`Prefer: max-affected\` with \`handling=strict\` is not enforced on RPC, is enforced on inserts, and is not echoed**

PostgREST (13.0.3+, "Fix max-affected preference not failing with RPC when handling=strict", #4100) applies \`max-affected\` under \`handling=strict\` to PATCH, DELETE and function calls: a call whose result has more rows answers 400 \`PGRST124\` "${tooMany}", details "The query affects N rows", and its transaction is rolled back; a function that does not return SETOF/TABLE answers 400 \`PGRST128\` "${notSetof}". Inserts are not checked (\`MainTx.hs\`: \`MutationCreate\` runs no max-affected check). \`Preference-Applied\` lists \`handling=…\` and, under strict, \`max-affected=N\` (\`ApiRequest/Preferences.hs\` \`prefAppliedHeader\`; tests: \`test/spec/Feature/Query/PreferencesSpec.hs\` "test Prefer: max-affected with rpc").

lite checks only table mutations, including inserts, so an RPC that deletes 15 rows under \`max-affected=10\` commits them, and a bulk insert of 3 rows under \`max-affected=1\` is refused; \`Preference-Applied\` omits both preferences.

Fix: after the function runs (inside its transaction, so throwing rolls it back) check the row count against the preference, and refuse a function that returns a single value (PostgREST refuses it before the call; rolling the call back leaves the same state); skip the check for inserts; echo \`handling\` and, under strict, \`max-affected\` (PostgREST omits the latter on inserts, which this shortcut in the shared header builder does not).`,
  edits: [
    {
      // RPC: after the call, inside its transaction.
      find: `$=ye.volatility!=="v",v=ye.returns_void;}`,
      replace:
        `$=ye.volatility!=="v",v=ye.returns_void;let mx=Yx(n);if(mx!==null){` +
        `if(!ye.return_is_setof)throw new $e({httpStatus:400,code:"PGRST128",message:"${notSetof}",details:null,hint:null});` +
        `if(bt.length>mx)throw new $e({httpStatus:400,code:"PGRST124",message:"${tooMany}",details:\`The query affects \${bt.length} rows\`,hint:null})}}`,
    },
    {
      // Inserts and upserts are not limited.
      find: `let n=Xx(t.ast);if(n!==null)return n>e?oh(n):null;`,
      replace: `let n=Xx(t.ast);if(n!==null)return null;`,
    },
    {
      find: "t?.tx&&n.push(`tx=${t.tx}`),n.length>0?",
      replace:
        "t?.tx&&n.push(`tx=${t.tx}`),t?.handling&&n.push(`handling=${t.handling}`)," +
        't?.handling==="strict"&&typeof t.maxAffected=="number"&&n.push(`max-affected=${t.maxAffected}`),n.length>0?',
    },
  ],
};
