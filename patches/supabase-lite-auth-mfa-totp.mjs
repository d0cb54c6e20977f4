// TOTP multi-factor authentication in @supabase/lite's Auth API, as GoTrue serves it.
// The routes' code is one block added to the bundle (`oflMfa`); the other edits call it:
// the auth schema gains GoTrue's MFA tables, access tokens gain `aal`/`amr`, and users
// (GET /user and every session response) gain `factors`.

const SCHEMA = String.raw`
-- ============================================================
-- MFA (GoTrue: internal/models/factor.go, challenge.go, amr.go)
-- ============================================================

CREATE TABLE IF NOT EXISTS auth.mfa_factors (
  id                 uuid PRIMARY KEY,
  user_id            uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  friendly_name      text,
  factor_type        text NOT NULL CHECK (factor_type IN ('totp', 'webauthn', 'phone')),
  status             text NOT NULL CHECK (status IN ('unverified', 'verified')),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  secret             text,
  phone              text,
  last_challenged_at timestamptz
);

CREATE INDEX IF NOT EXISTS factor_id_created_at_idx ON auth.mfa_factors (user_id, created_at);

CREATE TABLE IF NOT EXISTS auth.mfa_challenges (
  id          uuid PRIMARY KEY,
  factor_id   uuid NOT NULL REFERENCES auth.mfa_factors(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  verified_at timestamptz,
  ip_address  text NOT NULL
);

CREATE TABLE IF NOT EXISTS auth.mfa_amr_claims (
  id                    uuid PRIMARY KEY,
  session_id            uuid NOT NULL REFERENCES auth.sessions(id) ON DELETE CASCADE,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  authentication_method text NOT NULL,
  UNIQUE (session_id, authentication_method)
);
`;

// Injected before lite's Auth router. Plain JavaScript in the bundle's scope: D (lite's
// AuthError), Ct (its JSON body reader), qc (refresh-token maker), lg (is-revoked) and
// Es (500 unexpected_failure) are the bundle's own names. No template literals inside.
const MODULE = String.raw`var oflMfa = (() => {
  const AAL2_METHODS = new Set(["totp", "mfa/phone", "mfa/webauthn"]);
  const AMR_METHOD = { totp: "totp", phone: "mfa/phone", webauthn: "mfa/webauthn" };
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // GoTrue's defaults (internal/conf/configuration.go: MFAConfiguration).
  const CHALLENGE_EXPIRY_SECONDS = 300, FACTOR_EXPIRY_SECONDS = 300, MAX_VERIFIED_FACTORS = 10;
  const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const iso = (v) => (v == null ? null : new Date(v).toISOString());
  const settings = (svc) => {
    const m = svc.config.mfa ?? {};
    return {
      totpEnroll: m.totp?.enroll_enabled ?? true,
      totpVerify: m.totp?.verify_enabled ?? true,
      maxEnrolled: m.max_enrolled_factors ?? 10,
    };
  };
  const base32 = (bytes) => {
    let bits = 0, value = 0, out = "";
    for (const b of bytes) {
      value = ((value << 8) | b) & 0xffff;
      bits += 8;
      while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
    }
    if (bits > 0) out += B32[(value << (5 - bits)) & 31];
    return out;
  };
  const unbase32 = (text) => {
    let bits = 0, value = 0;
    const out = [];
    for (const c of text.toUpperCase().replace(/=+$/, "")) {
      const i = B32.indexOf(c);
      if (i < 0) throw new Error("invalid base32 secret");
      value = ((value << 5) | i) & 0xffff;
      bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  };
  // RFC 4226 HOTP over HMAC-SHA1, 6 digits; RFC 6238 TOTP with 30 s steps.
  const hotp = async (key, counter) => {
    const message = new DataView(new ArrayBuffer(8));
    message.setUint32(0, Math.floor(counter / 4294967296));
    message.setUint32(4, counter >>> 0);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message.buffer));
    const o = mac[mac.length - 1] & 15;
    const n = ((mac[o] & 127) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
    return String(n % 1000000).padStart(6, "0");
  };
  // As GoTrue's totp.ValidateCustom(Period 30, Skew 1, 6 digits, SHA1).
  const totpValid = async (secret, code) => {
    const passcode = String(code).trim();
    if (!/^[0-9]{6}$/.test(passcode)) return false;
    const key = await crypto.subtle.importKey("raw", unbase32(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    const step = Math.floor(Date.now() / 1000 / 30);
    for (const skew of [0, -1, 1]) if ((await hotp(key, step + skew)) === passcode) return true;
    return false;
  };
  // Go's url escaping: keep is what stays as it is; the rest is percent-encoded UTF-8.
  const escape = (text, keep) =>
    Array.from(new TextEncoder().encode(text), (b) => {
      const c = String.fromCharCode(b);
      return b < 128 && keep.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
    }).join("");
  const PATH_KEEP = /[A-Za-z0-9\-._~$&+,/:;=@]/, QUERY_KEEP = /[A-Za-z0-9\-._~]/;
  // GoTrue draws the otpauth URI as an SVG QR code (error correction H). The qrcode
  // package draws it here when it can be imported; otherwise an empty SVG (the uri and
  // secret still enroll an authenticator app by hand).
  const qrSvg = async (text) => {
    try {
      const mod = await import("qrcode");
      return await (mod.default ?? mod).toString(text, { type: "svg", errorCorrectionLevel: "H" });
    } catch {
      return '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>';
    }
  };
  const factorJson = (f) => {
    const o = { id: f.id, created_at: iso(f.created_at), updated_at: iso(f.updated_at), status: f.status };
    if (f.friendly_name) o.friendly_name = f.friendly_name;
    o.factor_type = f.factor_type;
    o.phone = f.phone ?? "";
    o.last_challenged_at = iso(f.last_challenged_at);
    return o;
  };
  const factorsOf = (repo, userId) =>
    repo.table("mfa_factors").selectAll().where("user_id", "=", userId).orderBy("created_at", "asc").orderBy("id", "asc").execute();
  // GoTrue's User has factors,omitempty.
  const withFactors = async (svc, user) => {
    const factors = await factorsOf(svc.repo, user.id);
    if (factors.length > 0) user.factors = factors.map(factorJson);
    return user;
  };
  // The aal and amr claims of a session's access token, from its mfa_amr_claims (GoTrue:
  // Session.CalculateAALAndAMR); method, when given, is first recorded for the session.
  const claims = async (svc, sessionId, method) => {
    const repo = svc.repo, now = new Date().toISOString();
    if (method)
      await repo.insertInto("mfa_amr_claims")
        .values({ id: crypto.randomUUID(), session_id: sessionId, authentication_method: method, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(["session_id", "authentication_method"]).doUpdateSet({ updated_at: now }))
        .execute();
    const rows = await repo.table("mfa_amr_claims").select(["authentication_method", "updated_at"]).where("session_id", "=", sessionId).execute();
    const amr = rows
      .map((r) => ({ method: r.authentication_method, timestamp: Math.floor(new Date(r.updated_at).getTime() / 1000) }))
      .sort((a, b) => b.timestamp - a.timestamp);
    return { aal: amr.some((e) => AAL2_METHODS.has(e.method)) ? "aal2" : "aal1", amr };
  };
  const ipOf = (t) => t.req.header("X-Forwarded-For")?.split(",")[0]?.trim() || t.env?.peerAddress || "";
  const who = async (t) => {
    const svc = t.var.authService, userId = t.get("userId"), sessionId = t.get("sessionId");
    const user = userId ? await svc.repo.findUserById(userId) : null;
    const session = sessionId ? await svc.repo.findSessionById(sessionId) : null;
    // GoTrue: requireNotAnonymous on /factors.
    if (user && (user.is_anonymous === true || user.is_anonymous === 1))
      throw new D(403, "no_authorization", "Anonymous user not allowed to perform these actions");
    return { svc, repo: svc.repo, user, session };
  };
  // GoTrue: loadFactor (internal/api/admin.go).
  const loadFactor = async (t, ctx) => {
    const id = t.req.param("factor_id");
    if (!UUID.test(id)) throw new D(404, "validation_failed", "factor_id must be an UUID");
    const factor = ctx.user
      ? await ctx.repo.table("mfa_factors").selectAll().where("id", "=", id.toLowerCase()).where("user_id", "=", ctx.user.id).executeTakeFirst()
      : null;
    if (!factor) throw new D(404, "mfa_factor_not_found", "Factor not found");
    return factor;
  };
  // Deletes a factor (its challenges go with it) and takes the sessions that reached aal2
  // with it back to aal1 (GoTrue: Factor.DowngradeSessionsToAAL1).
  const removeFactor = async (repo, factor) => {
    await repo.deleteFrom("mfa_factors").where("id", "=", factor.id).execute();
    const bound = await repo.table("sessions").select("id").where("factor_id", "=", factor.id).execute();
    for (const s of bound)
      await repo.deleteFrom("mfa_amr_claims").where("session_id", "=", s.id).where("authentication_method", "=", AMR_METHOD[factor.factor_type]).execute();
    await repo.update("sessions").set({ aal: "aal1", factor_id: null, updated_at: new Date().toISOString() })
      .where("user_id", "=", factor.user_id).where("factor_id", "=", factor.id).execute();
  };
  const verifyDisabled = (factor, conf) => {
    if (factor.factor_type === "phone") return new D(422, "mfa_phone_verify_not_enabled", "MFA verification is disabled for Phone");
    if (factor.factor_type === "webauthn") return new D(422, "mfa_webauthn_verify_not_enabled", "MFA verification is disabled for WebAuthn");
    if (!conf.totpVerify) return new D(422, "mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
    return null;
  };

  // POST /factors (GoTrue: EnrollFactor, enrollTOTPFactor, validateFactors).
  const enroll = async (t) => {
    const ctx = await who(t), { svc, repo, user, session } = ctx, conf = settings(svc);
    if (!session || !user) throw Es("A valid session and a registered user are required to enroll a factor");
    const params = await Ct(t);
    if (params.factor_type === "phone") throw new D(422, "mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone");
    if (params.factor_type === "webauthn") throw new D(422, "mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn");
    if (params.factor_type !== "totp") throw new D(400, "validation_failed", "factor_type needs to be totp, phone, or webauthn");
    if (!conf.totpEnroll) throw new D(422, "mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP");
    const friendlyName = typeof params.friendly_name === "string" ? params.friendly_name : "";
    let issuer = typeof params.issuer === "string" ? params.issuer : "";
    if (!issuer) {
      try { issuer = new URL(svc.config.site_url ?? "").host; } catch { throw Es("site url is improperly formatted"); }
    }
    const cutoff = Date.now() - FACTOR_EXPIRY_SECONDS * 1000;
    for (const f of await factorsOf(repo, user.id)) {
      if (f.status === "verified" || new Date(f.created_at).getTime() >= cutoff) continue;
      const challenged = await repo.table("mfa_challenges").select("id").where("factor_id", "=", f.id).executeTakeFirst();
      if (!challenged) await repo.deleteFrom("mfa_factors").where("id", "=", f.id).execute();
    }
    const factors = await factorsOf(repo, user.id);
    let verified = 0;
    for (const f of factors) {
      if ((f.friendly_name ?? "") === friendlyName)
        throw new D(422, "mfa_factor_name_conflict", "A factor with the friendly name " + JSON.stringify(friendlyName) + " for this user already exists");
      if (f.status === "verified") verified++;
    }
    if (factors.length >= conf.maxEnrolled || verified >= MAX_VERIFIED_FACTORS)
      throw new D(422, "too_many_enrolled_mfa_factors", "Maximum number of verified factors reached, unenroll to continue");
    if (verified > 0 && session.aal !== "aal2") throw new D(403, "insufficient_aal", "AAL2 required to enroll a new factor");
    const secret = base32(crypto.getRandomValues(new Uint8Array(20)));
    const uri = "otpauth://totp/" + escape(issuer + ":" + (user.email ?? ""), PATH_KEEP) + "?algorithm=SHA1&digits=6&issuer=" +
      escape(issuer, QUERY_KEEP) + "&period=30&secret=" + secret;
    const id = crypto.randomUUID(), now = new Date().toISOString();
    await repo.insertInto("mfa_factors")
      .values({ id, user_id: user.id, friendly_name: friendlyName, factor_type: "totp", status: "unverified", secret, created_at: now, updated_at: now })
      .execute();
    return t.json({ id, type: "totp", friendly_name: friendlyName, totp: { qr_code: await qrSvg(uri), secret, uri } }, 200);
  };

  // POST /factors/:factor_id/challenge (GoTrue: ChallengeFactor, challengeTOTPFactor).
  const challenge = async (t) => {
    const ctx = await who(t), factor = await loadFactor(t, ctx);
    const refusal = verifyDisabled(factor, settings(ctx.svc));
    if (refusal) throw refusal;
    const id = crypto.randomUUID(), now = new Date();
    await ctx.repo.insertInto("mfa_challenges").values({ id, factor_id: factor.id, created_at: now.toISOString(), ip_address: ipOf(t) }).execute();
    await ctx.repo.update("mfa_factors").set({ last_challenged_at: now.toISOString() }).where("id", "=", factor.id).execute();
    return t.json({ id, type: factor.factor_type, expires_at: Math.floor(now.getTime() / 1000) + CHALLENGE_EXPIRY_SECONDS }, 200);
  };

  // POST /factors/:factor_id/verify (GoTrue: VerifyFactor, validateChallenge, verifyTOTPFactor).
  const verify = async (t) => {
    const ctx = await who(t), { svc, repo, user, session } = ctx, factor = await loadFactor(t, ctx);
    const params = await Ct(t);
    const challengeId = params.challenge_id ?? "00000000-0000-0000-0000-000000000000";
    if (typeof challengeId !== "string" || !UUID.test(challengeId))
      throw new D(400, "bad_json", "Could not parse request body as JSON: uuid: incorrect UUID format " + JSON.stringify(String(challengeId)));
    if (!params.code) throw new D(400, "validation_failed", "Code needs to be non-empty");
    const refusal = verifyDisabled(factor, settings(svc));
    if (refusal) throw refusal;
    const found = await repo.table("mfa_challenges").selectAll().where("id", "=", challengeId.toLowerCase()).where("factor_id", "=", factor.id).executeTakeFirst();
    if (!found) throw new D(422, "mfa_factor_not_found", "MFA factor with the provided challenge ID not found");
    if (found.verified_at != null || found.ip_address !== ipOf(t))
      throw new D(422, "mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch.");
    if (Date.now() > new Date(found.created_at).getTime() + CHALLENGE_EXPIRY_SECONDS * 1000) {
      await repo.deleteFrom("mfa_challenges").where("id", "=", found.id).execute();
      throw new D(422, "mfa_challenge_expired", "MFA challenge " + found.id + " has expired, verify against another challenge or create a new challenge.");
    }
    if (!(await totpValid(factor.secret, params.code))) throw new D(422, "mfa_verification_failed", "Invalid TOTP code entered");
    if (!session) throw Es("Cannot read SessionId claim as UUID");
    const now = new Date().toISOString();
    await repo.update("mfa_challenges").set({ verified_at: now }).where("id", "=", found.id).execute();
    if (factor.status !== "verified") await repo.update("mfa_factors").set({ status: "verified", updated_at: now }).where("id", "=", factor.id).execute();
    await claims(svc, session.id, AMR_METHOD[factor.factor_type]);
    // GoTrue: a new refresh token from the verification (the aal1 one is spent).
    const live = (await repo.findRefreshTokensBySession(session.id)).filter((r) => !lg(r));
    await repo.revokeRefreshTokensByIds(live.map((r) => r.id));
    const refreshToken = qc();
    await repo.createRefreshToken({ token: refreshToken, user_id: user.id, session_id: session.id, parent: live.at(-1)?.token ?? null });
    await repo.update("sessions").set({ aal: "aal2", factor_id: factor.id, updated_at: now }).where("id", "=", session.id).execute();
    // GoTrue: InvalidateSessionsWithAALLessThan(aal2), DeleteUnverifiedFactors.
    await repo.deleteFrom("sessions").where("user_id", "=", user.id).where("aal", "<", "aal2").execute();
    await repo.deleteFrom("mfa_factors").where("user_id", "=", user.id).where("status", "=", "unverified").where("factor_type", "=", factor.factor_type).execute();
    const fresh = (await repo.findUserById(user.id)) ?? user;
    return t.json(await svc.createRefreshResponse(fresh, session.id, refreshToken, fresh.last_sign_in_at ?? now), 200);
  };

  // DELETE /factors/:factor_id (GoTrue: UnenrollFactor, Factor.DowngradeSessionsToAAL1).
  const unenroll = async (t) => {
    const ctx = await who(t), { repo, user, session } = ctx, factor = await loadFactor(t, ctx);
    if (!session || !user) throw Es("A valid session and factor are required to unenroll a factor");
    if (factor.status === "verified" && session.aal !== "aal2")
      throw new D(422, "insufficient_aal", "AAL2 required to unenroll verified factor");
    await removeFactor(repo, factor);
    return t.json({ id: factor.id }, 200);
  };

  // For the admin API's GET /admin/users/{user_id}/factors and
  // DELETE /admin/users/{user_id}/factors/{factor_id} (GoTrue: adminUserGetFactors,
  // adminUserDeleteFactor), where lite serves admin routes.
  const adminListFactors = async (svc, userId) => (await factorsOf(svc.repo, userId)).map(factorJson);
  const adminDeleteFactor = async (svc, userId, factorId) => {
    const factor = await loadFactor({ req: { param: () => factorId } }, { repo: svc.repo, user: { id: userId } });
    await removeFactor(svc.repo, factor);
    return factorJson(factor);
  };

  return { claims, withFactors, enroll, challenge, verify, unenroll, adminListFactors, adminDeleteFactor };
})();
`;

const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Auth: TOTP multi-factor authentication (/factors), aal/amr claims, user factors",
  upstream: `Auth: implement TOTP MFA (/factors enroll, challenge, verify, unenroll) and the aal/amr claims

supabase-js's auth.mfa.enroll/challenge/verify/unenroll call POST /auth/v1/factors,
POST /factors/{id}/challenge, POST /factors/{id}/verify and DELETE /factors/{id}; listFactors and
getAuthenticatorAssuranceLevel read user.factors and the access token's aal and amr claims.
GoTrue serves these in internal/api/mfa.go (routes in internal/api/api.go), with the tables
auth.mfa_factors, auth.mfa_challenges and auth.mfa_amr_claims (internal/models/factor.go,
challenge.go, amr.go) and the claims from Session.CalculateAALAndAMR.

lite has no /factors routes (the Auth router answers its plain-text 404), no MFA tables, and
signs access tokens without aal or amr, so getAuthenticatorAssuranceLevel() reports
currentLevel null and an app can't require aal2 (auth.jwt()->>'aal') in a policy.

The fix, following GoTrue:
- tables mfa_factors, mfa_challenges, mfa_amr_claims in the auth schema;
- POST /factors {factor_type: 'totp', friendly_name, issuer}: a 20-byte base32 secret, the
  otpauth:// URI (issuer defaults to site_url's host, account = the user's email) and its QR
  code as SVG; answers {id, type, friendly_name, totp: {qr_code, secret, uri}}. Refusals as
  GoTrue's validateFactors: mfa_factor_name_conflict, too_many_enrolled_mfa_factors
  (auth.mfa.max_enrolled_factors), insufficient_aal (a verified factor exists and the session
  is aal1), mfa_totp_enroll_not_enabled (auth.mfa.totp.enroll_enabled = false); phone and
  webauthn answer their *_enroll_not_enabled errors (as a server with them off);
- POST /factors/{id}/challenge: {id, type, expires_at} (300 s), mfa_totp_verify_not_enabled
  when verification is off; unknown factor: 404 mfa_factor_not_found;
- POST /factors/{id}/verify {challenge_id, code}: RFC 6238 (SHA-1, 6 digits, 30 s, ±1 step);
  422 mfa_verification_failed "Invalid TOTP code entered", mfa_challenge_expired,
  mfa_ip_address_mismatch (challenge reused or from another IP), mfa_factor_not_found; on
  success the factor is verified, the session gets the totp AMR claim and aal2, a new refresh
  token, other aal1 sessions of the user end, unverified factors of the type are removed, and
  the answer is a new session whose access token says aal: 'aal2', amr: [{method: 'totp'}, ...];
- DELETE /factors/{id}: {id}; a verified factor needs an aal2 session (422 insufficient_aal);
  sessions bound to it go back to aal1;
- every access token carries aal and amr (the sign-in method is recorded as the session's first
  AMR claim), and users in GET /user and session answers carry factors (omitted when none).`,
  edits: [
    {
      // The MFA tables, after the identities' indexes in the auth schema script.
      find: "CREATE INDEX IF NOT EXISTS identities_email_idx ON auth.identities (email);\n",
      replace: "CREATE INDEX IF NOT EXISTS identities_email_idx ON auth.identities (email);\n" + SCHEMA,
    },
    {
      // The routes' code, before the Auth router.
      find: "var uu=new Te()",
      replace: MODULE + "var uu=new Te()",
    },
    {
      // The routes, after the router's last authenticated route.
      find: '.all("/reauthenticate",xn("GET"))',
      replace:
        '.all("/reauthenticate",xn("GET"))' +
        '.post("/factors",(t)=>oflMfa.enroll(t))' +
        '.post("/factors/:factor_id/challenge",(t)=>oflMfa.challenge(t))' +
        '.post("/factors/:factor_id/verify",(t)=>oflMfa.verify(t))' +
        '.delete("/factors/:factor_id",(t)=>oflMfa.unenroll(t))',
    },
    {
      // The token signer takes extra claims.
      find: "async function Fc(t,e,n){",
      replace: "async function Fc(t,e,n,x){x&&(t={...t,...x});",
    },
    {
      // A new session's token: record how the user signed in (GoTrue: password for the
      // password grant and sign-up, otp for every /verify, oauth for a provider's
      // callback), then aal/amr.
      find: "this.config.jwt_secret,this.jwtExpiry),f=Math.floor",
      replace:
        'this.config.jwt_secret,this.jwtExpiry,await oflMfa.claims(this,l,r==="verify"?"otp":s.provider||s.createLoginAudit===false?"oauth":"password")),f=Math.floor',
    },
    {
      // A refreshed session's token: its aal/amr.
      find: "this.config.jwt_secret,this.jwtExpiry),c=Math.floor",
      replace: "this.config.jwt_secret,this.jwtExpiry,await oflMfa.claims(this,n)),c=Math.floor",
    },
    {
      find: "user:this.mapUserToResponse(a,n,r)}",
      replace: "user:await oflMfa.withFactors(this,this.mapUserToResponse(a,n,r))}",
    },
    {
      find: 'user:this.mapUserToResponse(o,a,"user")}',
      replace: 'user:await oflMfa.withFactors(this,this.mapUserToResponse(o,a,"user"))}',
    },
    {
      // GET /user.
      find: 'return this.mapUserToResponse(r,s,"user")}async updateUser(',
      replace: 'return oflMfa.withFactors(this,this.mapUserToResponse(r,s,"user"))}async updateUser(',
    },
  ],
};

export default patch;
