// The password grant checks the password before the address's confirmation, as GoTrue
// does, so a wrong password is invalid_credentials for every address. Source: supabase/auth
// internal/api/token.go (ResourceOwnerPasswordGrant: Authenticate, then IsConfirmed).
export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "A wrong password is invalid_credentials for an unconfirmed address too, as in GoTrue",
  upstream: `Auth: signInWithPassword tells a wrong password for an unconfirmed address apart

GoTrue's password grant (internal/api/token.go, ResourceOwnerPasswordGrant) checks the
password first and answers 400 invalid_credentials "Invalid login credentials" when it is
wrong, whoever the address belongs to; only with the right password does an unconfirmed
address answer 400 email_not_confirmed "Email not confirmed".

lite 0.10.0 checks the confirmation first, so a wrong password for an address that signed
up but never confirmed answers email_not_confirmed: anyone can learn which addresses have
an account waiting, which GoTrue doesn't reveal.

Fix: in signInWithPassword, compare the password before checking confirmed_at.`,
  edits: [
    {
      find: `if(!s.confirmed_at)throw mh();if(!await Mc(n,s.encrypted_password))throw dt();`,
      replace: `if(!await Mc(n,s.encrypted_password))throw dt();if(!s.confirmed_at)throw mh();`,
    },
  ],
};
