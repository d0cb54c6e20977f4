// resetPasswordForEmail() and reauthenticate() within [auth.email] max_frequency of the last
// such email answer GoTrue's 429 instead of sending another. Source: supabase/auth
// internal/api/mail.go (sendPasswordRecovery, sendReauthenticationOtp →
// validateSentWithinFrequencyLimit), errors.go (generateFrequencyLimitErrorMessage),
// conf/configuration.go (default 1 minute). max_frequency is a Go duration ("1m0s", "60s",
// "1s", "500ms"). `n` is the user in both places.
const tooSoon = (sentAt) =>
  [
    `{let f=String(this.config.email?.max_frequency||"1m0s"),w=0;`,
    `for(let[,v,u]of f.matchAll(/(\\d+(?:\\.\\d+)?)(ms|h|m|s)/g))w+=Number(v)*{h:3600,m:60,s:1,ms:.001}[u];`,
    `let l=n.${sentAt}?new Date(n.${sentAt}).getTime()+w*1e3-Date.now():0;`,
    `if(l>0)throw new D(429,"over_email_send_rate_limit",\`For security purposes, you can only request this after \${Math.floor(l/1e3)} seconds.\`)}`,
  ].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Password recovery and reauthentication are rate limited by max_frequency, as in GoTrue",
  upstream: `Auth: POST /recover and GET /reauthenticate should honour max_frequency

GoTrue sends a recovery email, and a reauthentication nonce, at most once per SMTP max
frequency per user (internal/api/mail.go sendPasswordRecovery / sendReauthenticationOtp →
validateSentWithinFrequencyLimit): a second resetPasswordForEmail() or
supabase.auth.reauthenticate() within that window answers 429 over_email_send_rate_limit
"For security purposes, you can only request this after N seconds." (N = whole seconds
left, errors.go generateFrequencyLimitErrorMessage) and sends nothing. An unknown address
still answers 200 to /recover, so the endpoint doesn't tell who has an account. The window
is [auth.email] max_frequency (GOTRUE_SMTP_MAX_FREQUENCY, 1 minute when unset).

lite 0.10.0 sends a new email on every call, so an app's "send again" buttons can't be
tested against the limit users will hit.

Fix: before generating the token or nonce, compare recovery_sent_at (or
reauthentication_sent_at) + max_frequency with now and answer the 429 as above.`,
  edits: [
    {
      find: `let n=await this.repo.findUserByEmail(e);if(!n)return;let r=pt(this.otpLength),s=await st(e,r),i=new Date().toISOString();await this.repo.updateUser(n.id,{recovery_token:s`,
      replace: `let n=await this.repo.findUserByEmail(e);if(!n)return;${tooSoon("recovery_sent_at")}let r=pt(this.otpLength),s=await st(e,r),i=new Date().toISOString();await this.repo.updateUser(n.id,{recovery_token:s`,
    },
    {
      find: `throw K("Reauthentication requires the user to have an email or a phone number",400);`,
      replace: `throw K("Reauthentication requires the user to have an email or a phone number",400);${tooSoon("reauthentication_sent_at")}`,
    },
  ],
};
