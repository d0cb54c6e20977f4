// reauthenticate() within [auth.email] max_frequency of the last nonce answers GoTrue's 429
// instead of sending another email. Source: supabase/auth internal/api/mail.go
// (sendReauthenticationOtp, validateSentWithinFrequencyLimit), errors.go
// (generateFrequencyLimitErrorMessage), conf/configuration.go (default 1 minute).
// max_frequency is a Go duration ("1m0s", "60s", "1s", "500ms").
const check = [
  `{let f=String(this.config.email?.max_frequency||"1m0s"),w=0;`,
  `for(let[,v,u]of f.matchAll(/(\\d+(?:\\.\\d+)?)(ms|h|m|s)/g))w+=Number(v)*{h:3600,m:60,s:1,ms:.001}[u];`,
  `let l=n.reauthentication_sent_at?new Date(n.reauthentication_sent_at).getTime()+w*1e3-Date.now():0;`,
  `if(l>0)throw new D(429,"over_email_send_rate_limit",\`For security purposes, you can only request this after \${Math.floor(l/1e3)} seconds.\`)}`,
].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "reauthenticate() is rate limited by max_frequency, as in GoTrue",
  upstream: `Auth: GET /reauthenticate should honour max_frequency like the other emails

GoTrue sends the reauthentication nonce at most once per SMTP max frequency
(internal/api/mail.go sendReauthenticationOtp → validateSentWithinFrequencyLimit): a second
supabase.auth.reauthenticate() within that window answers 429 over_email_send_rate_limit
"For security purposes, you can only request this after N seconds." (N = whole seconds
left, errors.go generateFrequencyLimitErrorMessage) and sends nothing. The window is
[auth.email] max_frequency (GOTRUE_SMTP_MAX_FREQUENCY, 1 minute when unset).

lite 0.10.0 sends a new nonce on every call, so an app's "resend code" button can't be
tested against the limit users will hit.

Fix: before generating the nonce, compare reauthentication_sent_at + max_frequency with
now and answer the 429 as above.`,
  edits: [
    {
      find: `throw K("Reauthentication requires the user to have an email or a phone number",400);`,
      replace: `throw K("Reauthentication requires the user to have an email or a phone number",400);${check}`,
    },
  ],
};
