// Phone sign-up, sign-in, OTP, verification and resend answer as GoTrue does with the phone
// provider off (lite has no SMS provider, and /settings already says `phone: false`).
// The routes run before lite's own ones and hand every request without a phone number on.
// Messages and codes: supabase/auth internal/api/signup.go, token.go, otp.go, verify.go,
// resend.go, phone.go.
const e164 = String.raw`/^[1-9][0-9]{1,14}$/.test(String(b.phone).replace(/^\+/,"").replaceAll(" ",""))`;
const routes = [
  // POST /signup with a phone: GoTrue checks signups, the password and its strength first.
  `.post("/signup",async(t,nx)=>{let b=await Ct(t);if(!b.phone)return nx();let s=t.var.authService;if(s.config.enable_signup===false)throw Ro();if(!b.password)throw K("Signup requires a valid password",400);s.assertPasswordStrong(b.password);if(b.email)throw K("Only an email address or phone number should be provided on signup.",400);if(b.channel&&b.channel!=="sms")throw K("Invalid channel, supported values are 'sms' or 'whatsapp'. 'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider.",400);if(b.code_challenge)throw K("PKCE not supported for phone signups",400);throw new D(400,"phone_provider_disabled","Phone signups are disabled")})`,
  // POST /token?grant_type=password with a phone.
  `.post("/token",async(t,nx)=>{if(t.req.query("grant_type")!=="password")return nx();let b=await Ct(t);if(!b.phone)return nx();if(b.email)throw K("Only an email address or phone number should be provided on login.",400);throw new D(422,"phone_provider_disabled","Phone logins are disabled")})`,
  // POST /otp with a phone: without create_user, an unknown number is refused before the provider.
  `.post("/otp",async(t,nx)=>{let b=await Ct(t);if(!b.phone)return nx();if(b.email)throw K("Only an email address or phone number should be provided",400);if(b.create_user===false){if(!${e164})throw K("Invalid phone number format (E.164 required)",400);throw Th()}throw new D(400,"phone_provider_disabled","Unsupported phone provider")})`,
  // POST /verify of an SMS or phone-change code: no user has a phone, so every code is invalid.
  `.post("/verify",async(t,nx)=>{let b=await Ct(t);if(!b.type||!(b.type==="sms"||b.type==="phone_change"||(b.phone&&!b.email)))return nx();let k=b.token||"",h=b.token_hash||"";if(!k===!h)throw K("Verify requires either a token or a token hash",400);if(k){if(b.phone&&!b.email){if(!${e164})throw K("Invalid phone number format (E.164 required)",400)}else if(!(b.email&&!b.phone))throw K("Only an email address or phone number should be provided on verify",400)}else if(b.email||b.phone||b.redirect_to)throw K("Only the token_hash and type should be provided",400);throw new D(403,"otp_expired","Token has expired or is invalid")})`,
  // POST /resend of an SMS code, or with a phone.
  `.post("/resend",async(t,nx)=>{let b=await Ct(t);if(!["signup","email_change","sms","phone_change"].includes(b.type)||(b.type==="signup"&&!b.email))return nx();if(b.type==="sms"&&!b.phone)throw K("Type provided requires a phone number",400);if(b.email&&b.phone)throw K("Only an email address or phone number should be provided.",400);if(b.phone)throw new D(400,"phone_provider_disabled","Phone logins are disabled");if(!b.email)throw K("Missing email address or phone number",400);return nx()})`,
].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Phone sign-up, sign-in, OTP, verify and resend answer GoTrue's phone-provider-disabled errors",
  upstream: `Auth: phone requests should answer as GoTrue does with the phone provider disabled

lite has no SMS provider (GET /auth/v1/settings says "phone": false), but its endpoints
don't answer phone requests the way GoTrue does when phone logins are off, so code written
against lite breaks (or passes) differently on a hosted project:

| request (supabase-js) | GoTrue (phone provider off) | lite 0.10.0 |
| --- | --- | --- |
| signUp({ phone, password }) | 400 phone_provider_disabled "Phone signups are disabled" (signup.go) | 422 anonymous_provider_disabled |
| signInWithPassword({ phone, password }) | 422 phone_provider_disabled "Phone logins are disabled" (token.go) | 400 validation_failed "missing email or phone" |
| signInWithOtp({ phone }) | 400 phone_provider_disabled "Unsupported phone provider" (otp.go, SmsOtp) | 400 validation_failed "One of email or phone must be set" |
| verifyOtp({ phone, token, type: "sms" }) | 403 otp_expired "Token has expired or is invalid" (verify.go: no user has that phone) | 400 validation_failed "Invalid email verification type" |
| resend({ phone, type: "sms" }) | 400 phone_provider_disabled "Phone logins are disabled" (resend.go) | 200 {} and nothing sent |

GoTrue's checks before these are kept in order: signups disabled, the password and its
strength, email and phone both given, channel, PKCE on phone sign-up (signup.go); E.164
format (phone.go validatePhone) where GoTrue validates it; create_user=false answering
422 otp_disabled for an unknown number (otp.go shouldCreateUser).

Fix: answer these before the email-only code paths, as above. (If lite gains an SMS
provider, the same checks become "if phone provider disabled".)`,
  edits: [
    {
      find: `t.header("Access-Control-Allow-Origin","*"),t.body(null,204)})`,
      replace: `t.header("Access-Control-Allow-Origin","*"),t.body(null,204)})${routes}`,
    },
  ],
};
