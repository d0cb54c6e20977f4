export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Access tokens carry GoTrue's user claims: phone, app_metadata, user_metadata, is_anonymous",
  upstream: `**Access tokens: add GoTrue's user claims (phone, app_metadata, user_metadata, is_anonymous)**

GoTrue's access token claims (\`internal/tokens/service.go\`, \`AccessTokenClaims\`, and the
JSON schema there requiring \`aud, exp, iat, sub, email, phone, role, aal, session_id,
is_anonymous\`) include the user's \`phone\`, \`app_metadata\`, \`user_metadata\` and
\`is_anonymous\`. Row-level security policies read them through \`auth.jwt()\` — Supabase's
anonymous sign-in guide uses \`(auth.jwt()->>'is_anonymous')::boolean\`, role-based access
uses \`auth.jwt()->'app_metadata'\` — and \`supabase.auth.getClaims()\` returns them.

lite's tokens carry only \`sub, aud, role, email, session_id, iat, exp\`, so those policies
see null locally.

Fix: add the four claims from the user row when a session is created or refreshed.
(\`iss\`, \`aal\` and \`amr\` are not covered here.)`,
  edits: [
    {
      find: `var tR="/auth/v1/verify";`,
      replace: `function __liteUserClaims(t){let p=v=>typeof v=="string"?JSON.parse(v):v??{};return{phone:t.phone??"",app_metadata:p(t.raw_app_meta_data),user_metadata:p(t.raw_user_meta_data),is_anonymous:!!t.is_anonymous&&t.is_anonymous!=="false"&&t.is_anonymous!==0}}var tR="/auth/v1/verify";`,
    },
    // Refresh (createRefreshResponse) and sign-in (createSessionForUser).
    { find: `l=await Fc({sub:e.id,`, replace: `l=await Fc({...__liteUserClaims(e),sub:e.id,` },
    { find: `let u=await Fc({sub:e.id,`, replace: `let u=await Fc({...__liteUserClaims(e),sub:e.id,` },
  ],
};
