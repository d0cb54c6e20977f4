// RPC arguments from a JSON body reach the function the way PostgREST passes them: the body
// itself goes to PostgreSQL, which reads each argument with json_to_record. Composite (row)
// arguments, arrays of rows, jsonb holding big integers and jsonb on PostgreSQL then all work.
const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "RPC: bind JSON-body arguments with json_to_record, as PostgREST does",
  upstream: `**RPC arguments from a JSON body are bound from JavaScript values, not from the body: row-typed arguments fail, jsonb arrives double-encoded on PostgreSQL, big integers lose digits**

PostgREST (src/library/PostgREST/Query/QueryBuilder.hs \`callPlanToQuery\`, SqlFragment.hs \`fromJsonBodyF\`) sends the request body unchanged as one json parameter and reads each argument out of it in SQL:
\`FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT "a", "p" FROM json_to_record(pgrst_payload.json_data) AS _("a" integer, "p" my_table)) pgrst_body, LATERAL f(a := pgrst_body.a, p := pgrst_body.p)\`.
A function with a single unnamed json/jsonb parameter gets the body as-is (\`singleParameter\`). So PostgreSQL does every conversion: objects become composite values, arrays of objects become arrays of rows, numbers keep all their digits.

lite 0.10.0 parses the body with JSON.parse and binds each value as a parameter:
- \`rpc('f', { p: { a: 1, b: 'x' } })\` with \`p my_table\` fails with \`22P02 malformed record literal: "[object Object]"\` (and \`my_table[]\` with "malformed array literal").
- On the PostgreSQL driver a json/jsonb argument is JSON.stringify'd by lite and then again by postgres.js's json serializer (the parameter's type is json via the \`::jsonb\` cast), so the function receives a JSON *string*: \`payload->>'n'\` is null and the function's result comes back as a string.
- JSON.parse rounds integers beyond 2^53, so \`{"n": 9007199254740993}\` arrives as 9007199254740992 on both drivers.

Fix: keep the body's text beside the parsed values; for a POST whose function was resolved, bind each named argument as \`name := (select _."name" from json_to_record($1::text::json) as _("name" <type>))\` (VARIADIC for the variadic one), and pass the text to a single unnamed json/jsonb parameter as \`$1::text::<type>\`. The \`::text\` keeps postgres.js from serializing the text a second time. Argument names are quoted, as PostgREST's pgFmtIdent does, so \`"userId"\` or \`"user-id"\` work (lite folds the first to lower case and refuses the second with PGRST100 "Unsafe RPC param key").`,
  edits: [
    // The body's text travels with the parsed values.
    { find: "return Array.isArray(i)?{values:i}:{values:i}", replace: "return {values:i,text:n}" },
    { find: ',a.inputType="json")', replace: ',a.inputType="json",r.text!==void 0&&(a.jsonBody=r.text))' },
    { find: "l.args!==void 0&&(u.args=l.args),", replace: "l.args!==void 0&&(u.args=l.args),l.jsonBody!==void 0&&(u.jsonBody=l.jsonBody)," },
    // A single unnamed json/jsonb parameter gets the body as sent.
    {
      find: "if(l)o=sql`${sql.raw(i)}(${ao(t.args)}::${sql.raw(l)})`",
      replace: "if(l)o=sql`${sql.raw(i)}(${t.jsonBody??ao(t.args)}::text::${sql.raw(l)})`",
    },
    // Named arguments of the resolved function are read from the body by PostgreSQL.
    {
      // (Quoted, so the name needn't be a plain identifier: lite's name check comes after.)
      find: 'if(De(y,"RPC param key"),d){let b=d.get(y);if(b){',
      replace:
        'let j=d&&!m&&t.jsonBody!==void 0?d.get(y):void 0;if(j)return pn(j,"RPC arg type"),sql`${sql.raw(y===p&&h?"VARIADIC ":"")}${sql.id(y)} := (select _.${sql.id(y)} from json_to_record(${t.jsonBody}::text::json) as _(${sql.id(y)} ${sql.raw(j)}))`;if(De(y,"RPC param key"),d){let b=d.get(y);if(b){',
    },
  ],
};

export default patch;
