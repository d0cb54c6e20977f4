// GoTrue's admin API (`supabase.auth.admin.*`) in @supabase/lite's Auth router, on lite's own
// auth repository (auth.users, auth.identities, auth.sessions) and mailer.
const adminCode = String.raw`
/* Offload: GoTrue's admin API (internal/api/admin.go, invite.go, mail.go adminGenerateLink). */
var offloadAdminRoles = ["service_role", "supabase_admin"];
async function offloadRequireAdmin(t, n) {
  let claims;
  if (t.var.ignoreAuthorization && t.var.jwt) claims = t.var.jwt;
  else {
    let m = /^[Bb]earer (\S+)$/.exec(t.req.header("Authorization") ?? "");
    if (!m) throw Sn();
    try {
      claims = await Lh(m[1], t.get("app").config.auth?.jwt_secret ?? "");
    } catch (e) {
      throw e instanceof D ? e : Oc();
    }
  }
  if (!claims || !offloadAdminRoles.includes(claims.role))
    throw new D(403, "not_admin", "User not allowed");
  await n();
}
function offloadStr(v) {
  return typeof v == "string" ? v : "";
}
function offloadObj(v) {
  return v && typeof v == "object" && !Array.isArray(v) ? v : null;
}
function offloadValidateEmail(e) {
  if (!e) throw K("An email address is required", 400);
  if (e.length > 255) throw K("An email address is too long", 400);
  if (!Xn(e)) throw K("Unable to validate email address: invalid format", 400);
  return e.toLowerCase();
}
function offloadValidatePhone(p) {
  let v = p.replace(/^\+/, "").replace(/ /g, "");
  if (!/^[1-9]\d{1,14}$/.test(v)) throw K("Invalid phone number format (E.164 required)", 400);
  return v;
}
/* Go's time.ParseDuration, in milliseconds; "none" lifts a ban. */
function offloadBanUntil(d) {
  if (d === "none") return null;
  let s = String(d), rest = s, sign = 1, ms = 0;
  let bad = (why) => K('invalid format for ban duration: time: ' + why + ' "' + s + '"', 400);
  if (rest[0] === "-" || rest[0] === "+") (sign = rest[0] === "-" ? -1 : 1), (rest = rest.slice(1));
  if (rest === "0") return null;
  if (rest === "") throw bad("invalid duration");
  let units = { ns: 1e-6, us: 1e-3, "\u00b5s": 1e-3, "\u03bcs": 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 };
  while (rest) {
    let m = /^(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)?/.exec(rest);
    if (!m) throw bad("invalid duration");
    if (!m[2]) throw bad("missing unit in duration");
    ms += parseFloat(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return ms === 0 ? null : new Date(Date.now() + sign * ms).toISOString();
}
async function offloadAdminTx(repo, message, fn) {
  try {
    return await repo.transaction(fn);
  } catch (e) {
    if (e instanceof D) throw e;
    console.error("Auth admin error:", e);
    throw Es(message).withInternalError(e);
  }
}
/* The user as GoTrue's models.User serialises it; identities null where GoTrue loads none. */
async function offloadAdminUserJson(svc, repo, row, withIdentities = true) {
  let ids = withIdentities ? await repo.findIdentitiesByUserId(row.id) : [],
    o = svc.mapUserToResponse(repo.parseUserJson(row), ids, "user");
  withIdentities || (o.identities = null);
  o.is_anonymous = row.is_anonymous === true || row.is_anonymous === 1;
  for (let k of ["phone_confirmed_at", "invited_at", "recovery_sent_at", "reauthentication_sent_at", "banned_until", "deleted_at"])
    row[k] != null && (o[k] = row[k]);
  return o;
}
async function offloadAdminLoadUser(t) {
  let id = t.req.param("user_id");
  if (!ag(id)) throw new D(404, "validation_failed", "user_id must be an UUID");
  let row = await t.var.authService.repo.findUserById(id.toLowerCase());
  if (!row) throw new D(404, "user_not_found", "User not found");
  return row;
}
function offloadEmailIdentity(id, email) {
  return { id: me(), provider: "email", provider_id: id, user_id: id, identity_data: { email, email_verified: false, phone_verified: false, sub: id } };
}
/* models.NewAuditLogEntry with the admin as actor, on the request's transaction. */
async function offloadAudit(tx, action, user) {
  await tx.createAuditLogEntry({
    id: me(),
    payload: {
      action, actor_id: "00000000-0000-0000-0000-000000000000", actor_username: "service_role", actor_via_sso: false,
      log_type: "team", traits: { user_id: user.id, user_email: user.email ?? "", user_phone: user.phone ?? "" },
    },
  });
}
async function offloadLogout(repo, id) {
  await repo.deleteRefreshTokensForUser(id);
  await repo.deleteUserSessions(id);
}
async function offloadConfirmEmail(repo, row) {
  let meta = repo.parseUserJson(row).raw_user_meta_data;
  return repo.updateUser(row.id, {
    confirmation_token: null,
    email_confirmed_at: new Date().toISOString(),
    raw_user_meta_data: { ...meta, email_verified: true },
  });
}
async function offloadAdminListUsers(t) {
  let svc = t.var.authService, repo = svc.repo, url = new URL(t.req.url), q = url.searchParams,
    num = (name, dflt) => {
      let v = q.get(name);
      if (!v) return dflt;
      if (!/^\d+$/.test(v))
        throw K('Bad Pagination Parameters: strconv.ParseUint: parsing "' + v + '": invalid syntax', 400);
      return Number(v);
    },
    page = num("page", 1), perPage = num("per_page", 50), aud = "authenticated";
  /* pop's Paginate: page and per_page below 1 become 1 and 20. */
  page < 1 && (page = 1), perPage < 1 && (perPage = 20);
  let counted = await repo.table("users").where("aud", "=", aud).select((eb) => eb.fn.countAll().as("count")).executeTakeFirst(),
    total = Number(counted?.count ?? 0),
    rows = await repo.table("users").selectAll().where("aud", "=", aud)
      .orderBy("created_at", "desc").orderBy("id", "desc")
      .limit(perPage).offset((page - 1) * perPage).execute(),
    users = [];
  for (let row of rows) users.push(await offloadAdminUserJson(svc, repo, row, false));
  /* addPaginationHeaders: links on the path GoTrue sees (behind the gateway, without /auth/v1). */
  let pages = Math.ceil(total / perPage),
    link = (p) => {
      let s = new URLSearchParams(q);
      s.set("page", String(p));
      s.sort();
      return "<" + url.pathname.replace(/^\/auth\/v1/, "") + "?" + s.toString() + ">";
    },
    header = (pages > page ? link(page + 1) + '; rel="next", ' : "") + link(pages) + '; rel="last"';
  t.header("Link", header);
  t.header("X-Total-Count", String(total));
  return t.json({ users, aud }, 200);
}
async function offloadAdminCreateUser(t) {
  let p = await Ct(t, { requireBody: true }), svc = t.var.authService, repo = svc.repo,
    aud = offloadStr(p.aud) || "authenticated",
    email = offloadStr(p.email), phone = offloadStr(p.phone), providers = [];
  if (!email && !phone) throw K("Cannot create a user without either an email or phone", 400);
  if (email) {
    email = offloadValidateEmail(email);
    if (await repo.findUserByEmail(email)) throw Eh();
    providers.push("email");
  }
  if (phone) {
    phone = offloadValidatePhone(phone);
    if (await repo.table("users").select("id").where("phone", "=", phone).where("aud", "=", aud).executeTakeFirst())
      throw new D(422, "phone_exists", "Phone number already registered by another user");
    providers.push("phone");
  }
  let hash = offloadStr(p.password_hash), password = offloadStr(p.password);
  if (p.password != null && hash) throw K("Only a password or a password hash should be provided", 400);
  if (!password && !hash) password = Bc();
  if (hash && !/^\$2[abxy]?\$\d\d\$/.test(hash)) throw Es("Error creating user");
  if (!hash && new TextEncoder().encode(password).length > 72) throw K("bcrypt: password length exceeds 72 bytes", 400);
  let id = me();
  if (p.id != null && p.id !== "") {
    if (typeof p.id != "string" || !ag(p.id)) throw K("ID must conform to the uuid v4 format", 400);
    if (/^[0-]+$/.test(p.id)) throw K("ID cannot be a nil uuid", 400);
    id = p.id.toLowerCase();
  }
  let ban = p.ban_duration ? offloadBanUntil(p.ban_duration) : void 0,
    encrypted = hash || (await xs(password)),
    row = await offloadAdminTx(repo, "Database error creating new user", async (tx) => {
      let u = await tx.createUser({
        id,
        aud,
        role: offloadStr(p.role) || "authenticated",
        email: email || null,
        phone: phone || null,
        encrypted_password: encrypted,
        raw_user_meta_data: offloadObj(p.user_metadata) ?? {},
        raw_app_meta_data: ig({ provider: providers[0], providers }, offloadObj(p.app_metadata) ?? {}),
      });
      email && (await tx.createIdentity(offloadEmailIdentity(id, email)));
      phone &&
        (await tx.createIdentity({ id: me(), provider: "phone", provider_id: id, user_id: id, identity_data: { phone, email_verified: false, phone_verified: false, sub: id } }));
      p.email_confirm === true && (u = await offloadConfirmEmail(tx, u));
      p.phone_confirm === true && (u = await tx.updateUser(id, { phone_confirmed_at: new Date().toISOString() }));
      ban !== void 0 && (u = await tx.updateUser(id, { banned_until: ban }));
      await offloadAudit(tx, "user_signedup", u);
      return u;
    });
  return t.json(await offloadAdminUserJson(svc, repo, row), 200);
}
async function offloadAdminGetUser(t) {
  let row = await offloadAdminLoadUser(t), svc = t.var.authService;
  return t.json(await offloadAdminUserJson(svc, svc.repo, row), 200);
}
async function offloadAdminUpdateUser(t) {
  let row = await offloadAdminLoadUser(t), p = await Ct(t), svc = t.var.authService, repo = svc.repo, id = row.id,
    email = offloadStr(p.email) && offloadValidateEmail(p.email),
    phone = offloadStr(p.phone) && offloadValidatePhone(p.phone),
    ban = p.ban_duration ? offloadBanUntil(p.ban_duration) : void 0,
    password = typeof p.password == "string" ? p.password : null,
    encrypted = null;
  if (password !== null) svc.assertPasswordStrong(password), (encrypted = await xs(password));
  row = await offloadAdminTx(repo, "Error updating user", async (tx) => {
    let u = row;
    offloadStr(p.role) && (u = await tx.updateUser(id, { role: p.role }));
    p.email_confirm === true && (u = await offloadConfirmEmail(tx, u));
    p.phone_confirm === true && (u = await tx.updateUser(id, { phone_confirmed_at: new Date().toISOString() }));
    if (encrypted) {
      u = await tx.updateUser(id, {
        encrypted_password: encrypted,
        confirmation_token: null, confirmation_sent_at: null,
        recovery_token: null, recovery_sent_at: null,
        email_change_token_current: null, email_change_token_new: null, email_change_sent_at: null,
        phone_change_token: null, phone_change_sent_at: null,
        reauthentication_token: null, reauthentication_sent_at: null,
      });
      await offloadLogout(tx, id);
    }
    if (email) {
      let identity = (await tx.findIdentitiesByUserId(id)).find((i) => i.provider === "email");
      identity
        ? await tx.updateIdentity(identity.id, { identity_data: { ...identity.identity_data, email, email_verified: p.email_confirm === true } })
        : await tx.createIdentity({ ...offloadEmailIdentity(id, email), identity_data: { email, email_verified: p.email_confirm === true, phone_verified: false, sub: id } });
      let change = { email };
      p.email_confirm === true && (change.is_anonymous = false);
      u = await tx.updateUser(id, change);
    }
    if (phone) {
      let identity = (await tx.findIdentitiesByUserId(id)).find((i) => i.provider === "phone");
      identity
        ? await tx.updateIdentity(identity.id, { identity_data: { ...identity.identity_data, phone, phone_verified: p.phone_confirm === true } })
        : await tx.createIdentity({ id: me(), provider: "phone", provider_id: id, user_id: id, identity_data: { phone, email_verified: false, phone_verified: p.phone_confirm === true, sub: id } });
      u = await tx.updateUser(id, { phone });
    }
    let app = offloadObj(p.app_metadata), user = offloadObj(p.user_metadata);
    app && (u = await tx.updateUser(id, { raw_app_meta_data: ig(tx.parseUserJson(u).raw_app_meta_data, app) }));
    user && (u = await tx.updateUser(id, { raw_user_meta_data: ig(tx.parseUserJson(u).raw_user_meta_data, user) }));
    ban !== void 0 && (u = await tx.updateUser(id, { banned_until: ban }));
    await offloadAudit(tx, "user_modified", u);
    return u;
  });
  return t.json(await offloadAdminUserJson(svc, repo, row), 200);
}
/* models.obfuscateValue: base64url(sha256(user id + value)). */
async function offloadObfuscate(id, value) {
  let digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id + value));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
async function offloadAdminDeleteUser(t) {
  let row = await offloadAdminLoadUser(t), p = await Ct(t), svc = t.var.authService, repo = svc.repo, id = row.id;
  await offloadAdminTx(repo, "Database error deleting user", async (tx) => {
    await offloadAudit(tx, "user_deleted", row);
    if (p.should_soft_delete !== true) {
      await tx.deleteRefreshTokensForUser(id);
      await tx.deleteFrom("users").where("id", "=", id).execute();
      return;
    }
    if (row.deleted_at) return;
    await tx.updateUser(id, {
      email: await offloadObfuscate(id, row.email ?? ""),
      phone: (await offloadObfuscate(id, row.phone ?? "")).slice(0, 15),
      email_change: await offloadObfuscate(id, row.email_change ?? ""),
      phone_change: (await offloadObfuscate(id, row.phone_change ?? "")).slice(0, 15),
      encrypted_password: null,
      confirmation_token: null, recovery_token: null,
      email_change_token_current: null, email_change_token_new: null, phone_change_token: null,
      deleted_at: new Date().toISOString(),
      raw_user_meta_data: {}, raw_app_meta_data: {},
    });
    for (let identity of await tx.findIdentitiesByUserId(id))
      await tx.update("identities")
        .set({ identity_data: "{}", provider_id: await offloadObfuscate(id, identity.provider + ":" + identity.provider_id), updated_at: new Date().toISOString() })
        .where("id", "=", identity.id).execute();
    await offloadLogout(tx, id);
  });
  return t.json({}, 200);
}
/* mailer.GetEmailActionLink: the API's /verify with the token, its type and where to go next. */
function offloadActionLink(t, token, type, redirectTo) {
  let base = (t.var.app.config.api?.external_url || new URL(t.req.url).origin).replace(/\/+$/, ""),
    r = /[&=#]/.test(redirectTo) ? encodeURIComponent(redirectTo) : redirectTo;
  return base + "/auth/v1/verify?token=" + encodeURIComponent(token) + "&type=" + encodeURIComponent(type) + "&redirect_to=" + r;
}
async function offloadNewInvitee(svc, tx, email, data) {
  let id = me(),
    u = await tx.createUser({ id, email, encrypted_password: null, raw_user_meta_data: offloadObj(data) ?? {}, raw_app_meta_data: { provider: "email", providers: ["email"] } });
  await tx.createIdentity(offloadEmailIdentity(id, email));
  return u;
}
async function offloadAdminGenerateLink(t) {
  let p = await Ct(t), svc = t.var.authService, repo = svc.repo, type = offloadStr(p.type),
    email = offloadValidateEmail(offloadStr(p.email)),
    referrer = svc.resolveEmailRedirect(t.req.query("redirect_to"));
  offloadStr(p.redirect_to) && svc.resolveEmailRedirect(p.redirect_to) === p.redirect_to && (referrer = p.redirect_to);
  let user = await repo.findUserByEmail(email), password = offloadStr(p.password);
  if (!user) {
    if (type === "magiclink") (type = "signup"), (password = Bc());
    else if (["recovery", "email_change_current", "email_change_new"].includes(type))
      throw new D(404, "user_not_found", "User with this email not found");
  }
  if (type === "signup" && !user) {
    if (!password) throw K("Signup requires a valid password", 400);
    svc.assertPasswordStrong(password);
  }
  let otp = pt(svc.otpLength), hashed = await st(email, otp), now = new Date().toISOString(), token = hashed, newEmail;
  let row = await offloadAdminTx(repo, "Database error updating user", async (tx) => {
    let u = user;
    switch (type) {
      case "magiclink":
      case "recovery":
        return tx.updateUser(u.id, { recovery_token: hashed, recovery_sent_at: now });
      case "invite":
        if (u && repo.parseUserJson(u).confirmed_at) throw Eh();
        u || (u = await offloadNewInvitee(svc, tx, email, p.data));
        return tx.updateUser(u.id, { confirmation_token: hashed, confirmation_sent_at: now, invited_at: now });
      case "signup":
        if (u) {
          if (repo.parseUserJson(u).confirmed_at) throw Eh();
          offloadObj(p.data) && (await tx.updateUser(u.id, { raw_user_meta_data: ig(repo.parseUserJson(u).raw_user_meta_data, p.data) }));
        } else {
          let id = me();
          u = await tx.createUser({ id, email, encrypted_password: await xs(password), raw_user_meta_data: offloadObj(p.data) ?? {}, raw_app_meta_data: { provider: "email", providers: ["email"] } });
          await tx.createIdentity(offloadEmailIdentity(id, email));
        }
        return tx.updateUser(u.id, { confirmation_token: hashed, confirmation_sent_at: now });
      case "email_change_current":
      case "email_change_new": {
        if (type === "email_change_current" && svc.config.email?.double_confirm_changes === false)
          throw K("Enable secure email change to generate link for current email", 400);
        newEmail = offloadValidateEmail(offloadStr(p.new_email));
        let other = await tx.findUserByEmail(newEmail);
        if (other && other.id !== u.id) throw Eh();
        let change = { email_change: newEmail, email_change_sent_at: now, email_change_confirm_status: 0 };
        type === "email_change_current"
          ? (change.email_change_token_current = hashed)
          : (change.email_change_token_new = token = await st(newEmail, otp));
        return tx.updateUser(u.id, change);
      }
      default:
        throw K("Invalid email action link type requested: " + type, 400);
    }
  });
  let linkType = type.startsWith("email_change") ? "email_change" : type;
  return t.json({
    ...(await offloadAdminUserJson(svc, repo, row)),
    action_link: offloadActionLink(t, token, linkType, referrer),
    email_otp: otp,
    hashed_token: hashed,
    verification_type: type,
    redirect_to: referrer,
  }, 200);
}
async function offloadAdminInvite(t) {
  let p = await Ct(t), svc = t.var.authService, repo = svc.repo,
    email = offloadValidateEmail(offloadStr(p.email)),
    referrer = svc.resolveEmailRedirect(t.req.query("redirect_to")),
    row = await offloadAdminTx(repo, "Error inviting user", async (tx) => {
      let u = await tx.findUserByEmail(email);
      if (u && repo.parseUserJson(u).confirmed_at) throw Eh();
      u || (u = await offloadNewInvitee(svc, tx, email, p.data));
      let otp = pt(svc.otpLength), hashed = await st(email, otp);
      try {
        await svc.mailer.send(await svc.mailer.render("invite", email, hashed, otp, { userId: u.id, redirectTo: referrer }));
      } catch (e) {
        console.error("Auth admin error:", e);
        throw Es("Error sending invite email").withInternalError(e);
      }
      let now = new Date().toISOString();
      await offloadAudit(tx, "user_invited", u);
      return tx.updateUser(u.id, { confirmation_token: hashed, confirmation_sent_at: now, invited_at: now });
    });
  return t.json(await offloadAdminUserJson(svc, repo, row), 200);
}
`;

const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "GoTrue's admin API: /admin/users, /admin/generate_link, /invite (service_role only); invite links verify; bans apply",
  upstream: `Auth: implement GoTrue's admin endpoints (supabase.auth.admin.*)

GoTrue serves an admin API to callers whose JWT role is one of GOTRUE_JWT_ADMIN_ROLES
(default service_role, supabase_admin); on Supabase the secret key (sb_secret_…) or the
service_role key gives that role (internal/api/api.go: r.Route("/admin") with
requireAdminCredentials; POST /invite likewise). supabase-js's GoTrueAdminApi calls:
- POST /admin/users (createUser: email/phone, password or password_hash, email_confirm,
  phone_confirm, user_metadata, app_metadata, role, id, ban_duration) -> the user;
  422 email_exists / phone_exists, 400 validation_failed (internal/api/admin.go adminUserCreate)
- GET /admin/users?page=&per_page= -> {users, aud} with X-Total-Count and Link
  (rel="next"/"last") headers, newest first, 50 a page (adminUsers, pagination.go)
- GET/PUT/DELETE /admin/users/{id}: 404 validation_failed "user_id must be an UUID",
  404 user_not_found "User not found" (loadUser); PUT applies role, email_confirm, password
  (and signs the user out everywhere), email, phone, app/user_metadata merges and
  ban_duration (a Go duration or "none"); DELETE answers {} and removes the user (cascading to
  identities and sessions) or, with should_soft_delete, obfuscates it and sets deleted_at
- POST /admin/generate_link (signup, invite, magiclink, recovery, email_change_current,
  email_change_new) -> the user plus action_link, email_otp, hashed_token,
  verification_type, redirect_to; magiclink for an unknown address becomes signup; recovery
  and email change for one answer 404 user_not_found (mail.go adminGenerateLink)
- POST /invite -> creates the user if needed, sends the invite email, answers the user;
  422 email_exists for a confirmed address (invite.go)
Any other caller gets 403 not_admin "User not allowed" (auth.go requireAdmin); no bearer,
401 no_authorization; a bad JWT, 403 bad_jwt.

@supabase/lite 0.10.0 has none of these routes: every auth.admin call fails, even with the
secret key, with 401 no_authorization "This endpoint requires a valid Bearer token" (the
/auth/v1 router's user-session guard answers for them), so an app that creates or invites users
from its server, or a test suite that seeds users, can't run against lite.

This adds the routes to the Auth router with lite's own repository and mailer, guarded like
GoTrue. Three small changes make the results usable as on GoTrue: /verify accepts
type=invite (the invite token is the confirmation token, and verifying confirms the user, as
GoTrue's signupVerify); a banned user (banned_until in the future) is refused at
grant_type=password (400 user_banned "User is banned", before the password is checked, as
token.go), at grant_type=refresh_token (400 user_banned "Invalid Refresh Token: User Banned",
tokens/service.go) and on Auth endpoints that need a session (403 user_banned, auth.go
requireAuthentication), while the Data API keeps serving the user's unexpired token as
PostgREST does.`,
  edits: [
    {
      // The routes, after the public ones and before lite's user-session guard (lu).
      find: `.all("/nonexistent",fR).use(lu())`,
      replace:
        `.all("/nonexistent",fR)` +
        `.use("/admin/*",offloadRequireAdmin).use("/invite",offloadRequireAdmin)` +
        `.post("/invite",offloadAdminInvite)` +
        `.get("/admin/users",offloadAdminListUsers).post("/admin/users",offloadAdminCreateUser)` +
        `.get("/admin/users/:user_id",offloadAdminGetUser).put("/admin/users/:user_id",offloadAdminUpdateUser)` +
        `.delete("/admin/users/:user_id",offloadAdminDeleteUser)` +
        `.post("/admin/generate_link",offloadAdminGenerateLink)` +
        `.use(lu())`,
    },
    {
      // The handlers, as top-level function declarations (hoisted) beside the router's helpers.
      find: `function Is(t,e){`,
      replace: `${adminCode}function Is(t,e){`,
    },
    {
      // /verify: type=invite is the invite link's type (GoTrue verify.go).
      find: `var Pg=new Set(["signup",`,
      replace: `var Pg=new Set(["invite","signup",`,
    },
    {
      // The invite token is the confirmation token (mail.go sendInvite).
      find: `case "signup":return ["confirmation_token"];`,
      replace: `case "invite":case "signup":return ["confirmation_token"];`,
    },
    {
      // Verifying an invite confirms the address like a sign-up (verify.go signupVerify).
      find: `}else if(r==="signup"){`,
      replace: `}else if(r==="signup"||r==="invite"){`,
    },
    {
      // grant_type=password: a banned user is refused before the password check (token.go).
      find: `if(!r||!r.encrypted_password)throw dt();let s=this.repo.parseUserJson(r);`,
      replace: `if(!r||!r.encrypted_password)throw dt();if(JT(r))throw new D(400,"user_banned","User is banned");let s=this.repo.parseUserJson(r);`,
    },
    {
      // grant_type=refresh_token: likewise (tokens/service.go).
      find: `let r=await this.repo.findUserById(n.user_id);if(!r)throw Yn();`,
      replace: `let r=await this.repo.findUserById(n.user_id);if(!r)throw Yn();if(JT(r))throw new D(400,"user_banned","Invalid Refresh Token: User Banned");`,
    },
    {
      // Auth endpoints that need a session: a banned user's access token is refused (auth.go
      // requireAuthentication). In lite's session guard, not in its JWT reader, which the Data
      // API shares: PostgREST still serves a banned user's unexpired token.
      find: `if(!e.var.userId)return Tg(e,Sn())}await n();}`,
      replace: `if(!e.var.userId)return Tg(e,Sn())}if(e.var.jwt?.role!=="service_role"){let offloadUser=await e.var.authService.repo.findUserById(e.var.userId);if(offloadUser&&JT(offloadUser))return Tg(e,new D(403,"user_banned","User is banned"))}await n();}`,
    },
  ],
};

export default patch;
