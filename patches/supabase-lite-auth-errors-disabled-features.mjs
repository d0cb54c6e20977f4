// SAML SSO, passkeys, manual identity linking and phone/WebAuthn MFA enrolment answer with
// GoTrue's own "disabled" errors (JSON, status, error_code, message) instead of a 401 or
// a non-JSON 404. Routes and middleware order: supabase/auth internal/api/api.go;
// messages: internal/api/middleware.go (requireSAMLEnabled, requirePasskeyEnabled,
// requireManualLinkingEnabled), auth.go (requireNotAnonymous), mfa.go (EnrollFactor).
const every = `["GET","POST","PUT","PATCH","DELETE"]`;
const routes = [
  // /sso and everything under it, before any authentication.
  `.on(${every},["/sso","/sso/*"],()=>{throw new D(404,"saml_provider_disabled","SAML 2.0 is disabled")})`,
  // /passkeys and everything under it: the check runs before authentication.
  `.on(${every},["/passkeys","/passkeys/*"],()=>{throw new D(404,"passkey_disabled","Passkeys are disabled")})`,
  // /user/identities/*: authentication first, then the linking switch (enable_manual_linking).
  `.on(${every},["/user/identities","/user/identities/*"],lu(),async(t,nx)=>{if(!t.var.authService.config.enable_manual_linking)throw new D(404,"manual_linking_disabled","Manual linking is disabled");if(t.req.method==="GET"&&t.req.path.endsWith("/identities/authorize"))Qc(t.req.query("provider"),t.var.authService.config.external,{defaultRedirectUri:""});return nx()})`,
  // POST /factors: phone and WebAuthn factors can't be enrolled (off by default on hosted
  // projects too); TOTP and anything else go on to the next handler.
  `.post("/factors",lu(),async(t,nx)=>{if(t.var.jwt?.is_anonymous===true)throw new D(403,"no_authorization","Anonymous user not allowed to perform these actions");let b=await Ct(t);if(b.factor_type==="phone")throw new D(422,"mfa_phone_enroll_not_enabled","MFA enroll is disabled for Phone");if(b.factor_type==="webauthn")throw new D(422,"mfa_webauthn_enroll_not_enabled","MFA enroll is disabled for WebAuthn");return nx()})`,
].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "SSO, passkeys, manual linking and phone/WebAuthn MFA answer GoTrue's disabled errors",
  upstream: `Auth: unimplemented features should answer with GoTrue's "disabled" errors

lite doesn't implement SAML SSO, passkeys, manual identity linking or phone/WebAuthn MFA,
and GET /auth/v1/settings says so (saml_enabled: false). But their endpoints answer a
401 (the catch-all authentication middleware runs first) or a 404 that isn't JSON, which
supabase-js surfaces as AuthUnknownError / AuthRetryableFetchError, so an app can't tell
"this feature is off" the way it does against a hosted project.

GoTrue (internal/api/api.go, middleware.go, mfa.go) answers, with the feature off:

| request (supabase-js) | GoTrue | lite 0.10.0 |
| --- | --- | --- |
| signInWithSSO (POST /sso), any /sso/* | 404 saml_provider_disabled "SAML 2.0 is disabled", before authentication | 401 no_authorization |
| passkey.* (any /passkeys/*) | 404 passkey_disabled "Passkeys are disabled", before authentication | 401, or non-JSON 404 with a session |
| linkIdentity / unlinkIdentity (/user/identities/*) with security.manual_linking_enabled off | after authentication, 404 manual_linking_disabled "Manual linking is disabled" | non-JSON 404 |
| mfa.enroll({ factorType: "phone" }) | after authentication (and 403 for anonymous users), 422 mfa_phone_enroll_not_enabled "MFA enroll is disabled for Phone" | non-JSON 404 |
| mfa.enroll({ factorType: "webauthn" }) | 422 mfa_webauthn_enroll_not_enabled "MFA enroll is disabled for WebAuthn" | non-JSON 404 |

Fix: register these routes with GoTrue's order of checks. With enable_manual_linking on,
linking a provider that isn't enabled answers GoTrue's "Unsupported provider: ..." 400
(the provider check lite's /authorize already does); TOTP enrolment is left to the
next handler.`,
  edits: [
    {
      find: `.get("/callback",Ag)`,
      replace: `${routes}.get("/callback",Ag)`,
    },
  ],
};
