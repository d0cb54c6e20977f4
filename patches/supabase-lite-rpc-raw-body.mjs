// A function with a single unnamed text, xml or bytea parameter is called with the request
// body as sent (Content-Type text/plain, text/xml, application/octet-stream), as PostgREST does.
const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "RPC: a single unnamed text/xml/bytea parameter gets the raw body",
  upstream: `**RPC with a single unnamed text, xml or bytea parameter answers PGRST102**

PostgREST's docs (API › Functions as RPC › "Functions with a single unnamed parameter") and source (ApiRequest/Payload.hs \`getPayload\`: for a routine, MTTextPlain/MTTextXML/MTOctetStream become \`RawPay\`; Plan.hs \`findProc\` \`hasSingleUnnamedParam\`: text ↔ text/plain, xml ↔ text/xml, bytea ↔ application/octet-stream; SqlFragment.hs \`singleParameter\`) call \`f(text)\` with a text/plain body, \`f(xml)\` with text/xml and \`f(bytea)\` with application/octet-stream, passing the body unchanged. Without such a function they answer 404 PGRST202 "Could not find the function public.f in the schema cache", details "Searched for the function public.f with a single unnamed text parameter, but no matches were found in the schema cache.", hint null (Error.hs \`NoRpc\`).

lite 0.10.0 refuses the three content types in the body parser before the route is known (400 PGRST102 "Content-Type not acceptable: text/plain"). Its later code for raw bodies exists (\`inputType: "text"\`, \`rawKind\`), but if it were reached it would call \`f(_raw := $1)\`, and the PGRST202 check lets every raw-body request through (its hint, when it answers, suggests a similarly named function).

Fix: on /rpc/ routes accept the three types as raw bodies (bytea read as bytes, not decoded as UTF-8), carry the parameter type they map to, call \`f($1::text|xml|bytea)\`, shape the response by that function (a scalar, not rows), and answer PGRST202 with a null hint when no function with that single unnamed parameter exists.`,
  edits: [
    {
      find: 'let n=await t.text(),r=t.headers.get("Content-Type")??"",s=Yw(r);',
      replace:
        'let r=t.headers.get("Content-Type")??"",s=Yw(r),q=/\\/rpc\\/[^/]+$/.test(new URL(t.url).pathname)?{"text/plain":"text","text/xml":"xml","application/octet-stream":"bytea"}[s]:void 0,z=q==="bytea"?new Uint8Array(await t.clone().arrayBuffer()):void 0,n=await t.text();',
    },
    { find: "if(s&&!Qw.has(s))throw new Ir(s);", replace: "if(s&&!Qw.has(s)&&!q)throw new Ir(s);" },
    { find: "return {raw:n}}", replace: "return {raw:z??n,rawType:q}}" },
    { find: 'a.args={_raw:r.raw},a.inputType="text"', replace: 'a.args={_raw:r.raw},a.inputType="text",a.rawType=r.rawType' },
    { find: "l.inputType&&(u.inputType=l.inputType)", replace: "l.inputType&&(u.inputType=l.inputType),l.rawType&&(u.rawType=l.rawType)" },
    {
      find: '||e.inputType==="text"?null:vp(e,n)}',
      replace:
        '||e.inputType==="text"&&r.some(i=>!i.has_variadic&&i.arg_types.length===1&&i.arg_names.length===0&&i.arg_types[0]===e.rawKind)?null:vp(e,n)}',
    },
    {
      find: "else if(t.args&&!Array.isArray(t.args)&&Object.keys(t.args).length>0){let f=Object",
      replace:
        'else if(t.inputType==="text"&&t.rawType)o=sql`${sql.raw(i)}(${t.args._raw}::${sql.raw(t.rawType)})`;else if(t.args&&!Array.isArray(t.args)&&Object.keys(t.args).length>0){let f=Object',
    },
    // The response is shaped by the function that was called (a scalar, not rows).
    {
      find: 'if(s.length===1)return s[0];if(s.length===0&&e.method==="POST"&&e.inputType!=="text")',
      replace:
        'if(s.length===1)return s[0];if(s.length===0&&e.inputType==="text"&&e.rawType){let i=n.filter(o=>o.schema===e.schema&&o.name===e.fnName&&!o.has_variadic&&o.arg_types.length===1&&o.arg_names.length===0&&o.arg_types[0]===e.rawType);if(i.length===1)return i[0]}if(s.length===0&&e.method==="POST"&&e.inputType!=="text")',
    },
    { find: "method:e.httpMethod,inputType:e.inputType}", replace: "method:e.httpMethod,inputType:e.inputType,rawType:e.rawType}" },
    // Error.hs NoRpc: no hint for a raw-body call.
    { find: "m=O_(n,r,i,e);", replace: "m=u?null:O_(n,r,i,e);" },
  ],
};

export default patch;
