export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Anonymous sign-ins work when auth.enable_anonymous_sign_ins is on",
  upstream: `**Anonymous sign-ins: \`auth.enable_anonymous_sign_ins = true\` is accepted but never honoured**

GoTrue: \`POST /signup\` with neither \`email\` nor \`phone\` is an anonymous sign-in
(\`internal/api/api.go\`, the \`/signup\` route). With \`GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED\`
off it answers 422 \`anonymous_provider_disabled\` "Anonymous sign-ins are disabled"; on, it runs
\`SignupAnonymously\` (\`internal/api/anonymous.go\`): 422 \`signup_disabled\` if sign-ups are off,
else it creates a user with \`is_anonymous = true\`, no email or phone, the request's
\`data\` as user metadata, empty app metadata and no identity (\`signup.go\` \`ToUserModel\`), and
answers 200 with a session. supabase-js's \`signInAnonymously()\` depends on this.

lite's config schema has \`enable_anonymous_sign_ins\` and \`/settings\` reports
\`external.anonymous_users\` from it, but \`signUp\` throws \`anonymous_provider_disabled\` for any
request without an email whatever the setting, and user objects always say
\`is_anonymous: false\`.

Fix: in the \`/signup\` route, a body without email and phone goes to a new
\`signUpAnonymously(data)\` when the setting is on (signup_disabled first, then the user as
above, then a session); \`mapUserToResponse\` reports the row's \`is_anonymous\`.`,
  edits: [
    {
      find: `r=await n.signUp(e.email,e.password,e.data)`,
      replace: `r=!e.email&&!e.phone&&n.config.enable_anonymous_sign_ins===true?await n.signUpAnonymously(e.data):await n.signUp(e.email,e.password,e.data)`,
    },
    {
      find: `async signUp(e,n,r){`,
      replace: `async signUpAnonymously(d){if(this.config.enable_signup===false)throw Ro();let a=me(),m=await this.repo.createUser({id:a,raw_user_meta_data:d??{},raw_app_meta_data:{},is_anonymous:true}),y=this.repo.parseUserJson(m),S=await this.createSessionForUser(y,[],"session",{provider:"anonymous"});return await this.createAuditLog(a,"","user_signedup","team"),{user:this.mapUserToResponse(y,[],"signup"),session:S}}async signUp(e,n,r){`,
    },
    { find: `updated_at:e.updated_at,is_anonymous:false}`, replace: `updated_at:e.updated_at,is_anonymous:!!e.is_anonymous&&e.is_anonymous!=="false"}` },
  ],
};
