// Auth errors take GoTrue's 2024-01-01 shape when the request asks for it, as supabase-js
// always does (X-Supabase-Api-Version: 2024-01-01): `{ code: "<error_code>", message }`
// and the version echoed back; without the header, the original `{ code, error_code, msg }`.
// Source: supabase/auth internal/api/errors.go (HandleResponseError and the
// handleResponseError* functions), apiversions.go (DetermineClosestAPIVersion).
const body = [
  `function $sbAuthErrorBody(t,e){let v=t.req.header("X-Supabase-Api-Version")??"";`,
  // A date GoTrue parses ("2006-01-02") on or after 2024-01-01 selects that version.
  `if(!/^\\d{4}-\\d{2}-\\d{2}$/.test(v)||isNaN(Date.parse(v+"T00:00:00Z"))||new Date(v+"T00:00:00Z").toISOString().slice(0,10)!==v||v<"2024-01-01")return e.toJSON();`,
  `t.header("X-Supabase-Api-Version","2024-01-01");`,
  // GoTrue sends no x-sb-error-code header with a 2024-01-01 weak-password error.
  `if(e.code==="weak_password")t.header("X-Sb-Error-Code",void 0);`,
  `return{code:e.code||(e.status===500?"unexpected_failure":"unknown"),message:e.message,...(e.details?.weak_password?{weak_password:e.details.weak_password}:{})}}`,
].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Auth errors answer in GoTrue's 2024-01-01 shape when the request asks for it",
  upstream: `Auth: honour X-Supabase-Api-Version in error responses

GoTrue versions its error body (internal/api/errors.go, apiversions.go). A request with
X-Supabase-Api-Version set to a date on or after 2024-01-01 - which supabase-js sends on
every Auth request (auth-js lib/fetch.ts) - gets

  { "code": "<error_code>", "message": "..." }   (+ "weak_password": { "reasons": [...] })

with the response header X-Supabase-Api-Version: 2024-01-01 (and x-sb-error-code, except
for weak_password). Without the header (a browser following an /authorize link, curl) it
gets the original HTTPError JSON { "code": <status>, "error_code": "...", "msg": "..." }.

lite 0.10.0 always answers the original shape. supabase-js reads both, so its AuthApiError
is the same; but anything reading the body itself (a server calling the Auth API with fetch
and the header, an HTTP-level test, another client library) sees a different body than
hosted Auth gives it.

Fix: choose the shape from the request header, as GoTrue's HandleResponseError does.`,
  edits: [
    {
      find: `function Tg(t,e){return t.header("X-Sb-Error-Code",e.code),t.json(e.toJSON(),e.status)}`,
      replace: `function Tg(t,e){return t.header("X-Sb-Error-Code",e.code),t.json($sbAuthErrorBody(t,e),e.status)}${body}`,
    },
    {
      find: `return e.json(t.toJSON(),t.status)}return console.error("Auth error:"`,
      replace: `return e.json($sbAuthErrorBody(e,t),t.status)}return console.error("Auth error:"`,
    },
  ],
};
