// A PostgreSQL error (raised in a trigger or function, or by a constraint) answers with its
// SQLSTATE as `code`, its message, detail and hint, and the HTTP status PostgREST gives that
// SQLSTATE. Source: PostgREST src/library/PostgREST/Error.hs (`mapSQLtoHTTP`, `ErrorBody
// SQL.CommandError`, `ErrorHeaders PgError`); docs: references/errors.rst.

// PostgREST's `mapSQLtoHTTP`, case by case in its order; `authed`: the role isn't the anonymous one.
const status = String.raw`function $sbPgStatus(c,m,authed){let p=c.slice(0,2);
if(p==="08")return 503;if(p==="09")return 500;if(p==="0L"||p==="0P")return 403;
if(c==="23503"||c==="23505")return 409;if(c==="25006")return 405;
if(c==="21000")return m.endsWith("requires a WHERE clause")?400:500;
if(c==="22023")return m.startsWith("role")&&m.endsWith("does not exist")?401:400;
if(p==="25")return 500;if(p==="28")return 403;
if(p==="2D"||p==="38"||p==="39"||p==="3B"||p==="40")return 500;
if(c==="53400")return 500;if(p==="53")return 503;if(p==="54"||p==="55")return 500;
if(c==="57P01")return 503;if(p==="57"||p==="58"||p==="F0"||p==="HV")return 500;
if(c==="P0001")return 400;if(p==="P0"||p==="XX")return 500;
if(c==="42883")return m.startsWith("function xmlagg(")?406:404;
if(c==="42P01")return 404;if(c==="42P17")return 500;if(c==="42501")return authed?403:401;
return 400}
`;

// Replaces lite's partial mapping in its Data API error handler (`o` the database error, `i`
// the request's AST, `r` the schema cache, `s` the request's variables). lite's own rewrites
// stay: an unknown target table (42P01) is PGRST205, as PostgREST's schema cache finds it
// before any SQL runs; the operator and column messages name what PostgREST's SQL names.
const mapping = String.raw`if(typeof o?.code=="string"&&/^[0-9A-Z]{5}$/.test(o.code)&&o.syscall===void 0){
let c=o.code,m=String(o.message??""),l=m;
if(c==="42P01"&&i?.from&&![...r.tables,...r.views].some(x=>x.name===i.from))return T(404,"PGRST205","Could not find the relation in the schema cache",m,null);
if(c==="42883")l=l.replace(/^operator does not exist: [\w.]+\.([\w]+) /,"operator does not exist: $1 ");
if(c==="42703"){let f=i?Jm(i):void 0,u=i?.onConflict;f&&(l=l.replace(/^column "([^"]+)" does not exist$/,(w,d)=>u?.includes(d)?w:"column "+f+"."+d+" does not exist"))}
let n=$sbPgStatus(c,m,Wt(s,"auth.role","anon")!=="anon"),R=T(n,c,l,o.detail??null,o.hint??null);
return n===401&&R.headers.set("WWW-Authenticate","Bearer"),R}`;

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "A PostgreSQL error answers with its SQLSTATE and PostgREST's status for it",
  upstream: `**Errors raised in triggers and functions answer 500 \`SUP\` instead of their SQLSTATE**

PostgREST answers any error PostgreSQL raises while running a request with the SQLSTATE as
\`code\`, PostgreSQL's message, detail and hint as \`message\`, \`details\`, \`hint\`, and a status
chosen from the SQLSTATE (src/library/PostgREST/Error.hs \`mapSQLtoHTTP\`; docs:
references/errors.rst "HTTP status codes"): 08 → 503, 09 → 500, 0L/0P → 403, 23503/23505 → 409,
25006 → 405, 21000 → 500 (400 for pg-safeupdate's "requires a WHERE clause"), 22023 → 400 (401
for "role … does not exist"), 25/2D/38/39/3B/40 → 500, 28 → 403, 53400 → 500, other 53 → 503,
54/55 → 500, 57P01 → 503, 57/58/F0/HV → 500, P0001 → 400, other P0/XX → 500, 42883 → 404 (406
for xmlagg), 42P01 → 404, 42P17 → 500, 42501 → 403, or 401 for the anonymous role (with
\`WWW-Authenticate: Bearer\`, as for every 401), and **400 for every other code**, including
23514 check_violation, an application's own codes and \`RAISE EXCEPTION\` without one (P0001).

lite maps a few of them (42501, 23503, 23505, 25006, 42883, 42P17, classes 21/22/42, 55/53) and
answers everything else 500 \`{"code":"SUP","message":"error: …"}\`: a trigger's
\`raise exception … using errcode = 'check_violation'\`, a plain \`RAISE\`, a check constraint,
a serialization failure or a statement timeout all look the same, so an app can't tell a
refusal from a crash by \`error.code\` as it does against PostgREST. Also: 23503/23505 drop the
hint, 53xxx is 500 rather than 503, 21000 is 400, a 401 has no \`WWW-Authenticate\`, and a 42P01
raised inside a function (a table it uses is missing) becomes PGRST205, as if the request's
own table were unknown.

Fix: for any error with a SQLSTATE, answer \`{code, message, details, hint}\` from the error
and the status from PostgREST's table, keeping PGRST205 for a request whose own table isn't
in the schema cache.`,
  edits: [
    {
      find: `if(o?.code==="42501"){let l=Wt(s,"auth.role","anon")==="anon"?401:403;return T(l,"42501",o.message,o.detail??null,o.hint??null)}if(o?.code==="42P01")return T(404,"PGRST205","Could not find the relation in the schema cache",o.message,null);if(o?.code==="23505"||o?.code==="23503")return T(409,o.code,o.message,o.detail??null,null);if(o?.code==="25006")return T(405,"25006",o.message,o.detail??null,o.hint??null);if(typeof o?.code=="string"){let a=o.code.slice(0,2);if(o.code==="42883"){let l=o.message;return l=l.replace(/^operator does not exist: [\\w.]+\\.([\\w]+) /,"operator does not exist: $1 "),T(404,o.code,l,o.detail??null,o.hint??null)}if(o.code==="42P17")return T(500,o.code,o.message,o.detail??null,o.hint??null);if(a==="42"||a==="22"||a==="21"||o.code==="23502"){let l=o.message,c=i?Jm(i):void 0;if(o.code==="42703"&&c){let u=i?.onConflict;l=l.replace(/^column "([^"]+)" does not exist$/,(f,d)=>u?.includes(d)?f:\`column \${c}.\${d} does not exist\`);}return T(400,o.code,l,o.detail??null,o.hint??null)}if(a==="55"||a==="53")return T(500,o.code,o.message,o.detail??null,o.hint??null)}`,
      replace: mapping,
    },
    {
      find: `T(500,"SUP",String(o),null,null)}var Ac=`,
      replace: `T(500,"SUP",String(o),null,null)}${status}var Ac=`,
    },
  ],
};
