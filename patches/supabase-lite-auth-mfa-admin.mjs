// GoTrue's admin MFA routes (auth.admin.mfa.listFactors / deleteFactor), on the admin
// routes of supabase-lite-auth-admin.mjs and the factor store of supabase-lite-auth-mfa-totp.mjs.
const routes =
  `.get("/admin/users/:user_id/factors",async(t)=>t.json(await oflMfa.adminListFactors(t.var.authService,(await offloadAdminLoadUser(t)).id),200))` +
  `.delete("/admin/users/:user_id/factors/:factor_id",async(t)=>t.json(await oflMfa.adminDeleteFactor(t.var.authService,(await offloadAdminLoadUser(t)).id,t.req.param("factor_id")),200))`;

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Auth admin: list and delete a user's MFA factors",
  upstream: `Auth admin: GET /admin/users/{id}/factors and DELETE /admin/users/{id}/factors/{factor_id}

supabase-js's auth.admin.mfa.listFactors({ userId }) and deleteFactor({ id, userId }) call these
(GoTrue: internal/api/api.go, adminUserFactors / adminUserDeleteFactor in internal/api/admin.go).
GoTrue answers the user's factors as an array, and the deleted factor; an unknown user is 404
user_not_found, an unknown factor 404 mfa_factor_not_found; both need an admin token like the
rest of /admin. Deleting a factor downgrades the sessions that reached aal2 with it.

Depends on the admin routes and the MFA tables (separate issues); once both exist the routes are
two lines each.`,
  edits: [
    {
      find: `.post("/admin/generate_link",offloadAdminGenerateLink)`,
      replace: `.post("/admin/generate_link",offloadAdminGenerateLink)${routes}`,
    },
  ],
};
