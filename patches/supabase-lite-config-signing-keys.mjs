// Helpers the edits below call, inserted at module scope before lite's JWT signer (Fc).
// Keys are registered per jwt_secret, the one value every signing and verifying site has.
const helpers = [
  `var __liteSigningKeys=new Map;`,
  `function __liteSetSigningKeys(c){Array.isArray(c?.signing_keys)&&c.signing_keys.length>0&&c.jwt_secret&&__liteSigningKeys.set(c.jwt_secret,c.signing_keys.map(k=>({jwk:k,priv:null,pub:null})))}`,
  `function __liteKeyAlg(k){return k.kty==="RSA"?{name:"RSASSA-PKCS1-v1_5",hash:"SHA-256"}:{name:"ECDSA",namedCurve:k.crv??"P-256"}}`,
  `function __litePublicJwk(k){let{d:_d,p:_p,q:_q,dp:_dp,dq:_dq,qi:_qi,key_ops:_o,...r}=k;return{...r,key_ops:["verify"]}}`,
  `async function __liteSigningKey(e){let k=__liteSigningKeys.get(e)?.[0];if(!k)return null;k.priv??=await crypto.subtle.importKey("jwk",{...k.jwk,key_ops:["sign"]},__liteKeyAlg(k.jwk),false,["sign"]);return k}`,
  `async function __liteVerifyJwt(t,e){let h={};try{h=JSON.parse(new TextDecoder().decode(oT(t.split(".")[0])??new Uint8Array))}catch{}let ks=__liteSigningKeys.get(e);if(ks&&typeof h.alg=="string"&&h.alg!=="HS256"){let k=ks.find(x=>x.jwk.kid===h.kid)??ks[0];k.pub??=await crypto.subtle.importKey("jwk",__litePublicJwk(k.jwk),__liteKeyAlg(k.jwk),false,["verify"]);return jwtVerify(t,k.pub,{algorithms:[k.jwk.alg??"ES256"]})}return jwtVerify(t,new TextEncoder().encode(e),{algorithms:["HS256"]})}`,
].join("");

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Asymmetric signing keys: sessions signed with ES256/RS256, public keys at /.well-known/jwks.json",
  upstream: `**Asymmetric JWT signing keys (\`signing_keys\`) and a JWKS, as Supabase Auth has them**

Supabase Auth signs access tokens with the first of its configured JWT signing keys
(\`GOTRUE_JWT_KEYS\`; the CLI passes \`[auth] signing_keys_path\`, a JSON array of JWKs from
\`supabase gen signing-key\`), puts the key's \`kid\` in the header, still accepts HS256 tokens
signed with the legacy secret, and publishes the public keys at
\`/auth/v1/.well-known/jwks.json\`; PostgREST verifies against the same JWKS. New hosted
projects use asymmetric keys, so \`supabase.auth.getClaims()\` verifies tokens locally with
WebCrypto and never calls \`GET /user\` (auth-js \`GoTrueClient.getClaims\`: a token with an
\`HS*\` alg or no \`kid\` falls back to \`getUser()\`).

lite signs only with HS256 and \`jwt_secret\`, and its JWKS is always \`{"keys": []}\`, so
\`getClaims()\` always makes the network call, and code that relies on local verification
(e.g. a middleware with no network budget) can't be tested against it.

Fix: an \`auth.signing_keys\` setting (an array of private JWKs, ES256 or RS256). When set,
access tokens are signed with the first key (header \`alg\`, \`kid\`); Auth and the Data API
verify a token by its header — an asymmetric one against the key with its \`kid\`, an HS256
one against \`jwt_secret\` as before; the JWKS endpoint serves the keys' public parts.`,
  edits: [
    // The setting, in lite's [auth] schema.
    {
      find: `hook:Rf,mfa:Cf,sessions:vf,email:Tf,sms:Of,external:Af}).partial()`,
      replace: `hook:Rf,mfa:Cf,sessions:vf,email:Tf,sms:Of,external:Af,signing_keys:s.array(s.any())}).partial()`,
    },
    // Registered when the app starts, before any request.
    {
      find: `this.config.auth?.enabled&&$o(this.config.auth)`,
      replace: `this.config.auth?.enabled&&(__liteSetSigningKeys(this.config.auth),$o(this.config.auth))`,
    },
    // Signing: the first key, with its kid; HS256 with the secret when there is none.
    // (The helpers go just before the signing function, whose header the MFA patch extends.)
    {
      find: `jh=()=>Es("Error getting user profile from external provider");`,
      replace: `jh=()=>Es("Error getting user profile from external provider");${helpers}`,
    },
    {
      find: `let r=new TextEncoder().encode(e),s=Math.floor(Date.now()/1e3);return new SignJWT({...t,iat:s}).setProtectedHeader({alg:"HS256",typ:"JWT"})`,
      replace: `let k=await __liteSigningKey(e),r=k?k.priv:new TextEncoder().encode(e),s=Math.floor(Date.now()/1e3);return new SignJWT({...t,iat:s}).setProtectedHeader(k?{alg:k.jwk.alg??"ES256",kid:k.jwk.kid,typ:"JWT"}:{alg:"HS256",typ:"JWT"})`,
    },
    // Auth's own verification (GET /user, logout, …).
    {
      find: `let s=new TextEncoder().encode(e);try{let{payload:i}=await jwtVerify(t,s,{algorithms:["HS256"]});return i}`,
      replace: `try{let{payload:i}=await __liteVerifyJwt(t,e);return i}`,
    },
    // The Data API's verification.
    {
      find: `let s=new TextEncoder().encode(e.jwtSecret),{payload:i}=await jwtVerify(n,s,{algorithms:["HS256"]});`,
      replace: `let{payload:i}=await __liteVerifyJwt(n,e.jwtSecret);`,
    },
    // The JWKS: the keys' public parts.
    { find: `function Eg(){return {keys:[]}}`, replace: `function Eg(e){return {keys:(__liteSigningKeys.get(e)??[]).map(k=>__litePublicJwk(k.jwk))}}` },
    { find: `t.json(Eg(),200)`, replace: `t.json(Eg(t.var.app.config.auth?.jwt_secret),200)` },
  ],
};
