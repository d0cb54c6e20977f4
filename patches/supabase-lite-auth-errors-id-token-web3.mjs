// POST /token with grant_type=id_token or web3 answers GoTrue's "provider not enabled"
// errors instead of lite's 400 invalid_credentials "unsupported_grant_type" (that answer
// is GoTrue's for a grant type it doesn't know at all). Sources: supabase/auth
// internal/api/token.go (the grant types), token_oidc.go (IdTokenGrant, getProvider),
// web3.go (Web3Grant), provider/*.go (issuers).
const issuers = `{google:"https://accounts.google.com",facebook:"https://www.facebook.com",kakao:"https://kauth.kakao.com",vercel_marketplace:"https://marketplace.vercel.com",snapchat:"https://accounts.snapchat.com/accounts/oauth2/token"}`;
// The ID token's unverified `iss`, as GoTrue reads it to tell Apple's and Azure's issuers; null if unreadable.
const tokenIssuer = `()=>{try{let x=String(n.id_token).split(".");if(x.length!==3)return null;let v=JSON.parse(Buffer.from(x[1],"base64url").toString("utf8")).iss;return typeof v=="string"?v:""}catch{return null}}`;
const idToken = [
  `if(e==="id_token"){`,
  `if(!n.id_token)return t.json({error:"invalid request",error_description:"id_token required"},400);`,
  `let p=n.provider??"",q=n.issuer??"",F=${issuers},A=["https://appleid.apple.com","https://account.apple.com"],d=${tokenIssuer},I;`,
  `if(!p&&(!n.client_id||!q))return t.json({error:"invalid request",error_description:"provider or client_id and issuer required"},400);`,
  `if(p==="apple"||A.includes(q)){let x=d();if(x===null)throw K("Unable to detect issuer in ID token for Apple provider",400);if(!A.includes(x))throw K("Detected ID token issuer is not an Apple ID token issuer",400);if(q&&q!==x)throw K("Provided issuer does not match ID token issuer",400);I=x}`,
  `else if(p==="google"||q===F.google)I=F.google;`,
  `else if(p==="azure"||/^https:\\/\\/login[.]microsoftonline[.]com\\/([^/]+)\\/v2[.]0\\/?$/.test(q)){let x=d();if(x===null)throw K("Unable to detect issuer in ID token for Azure provider",400);if(!x.startsWith("https://login.microsoftonline.com/")&&!x.startsWith("https://sts.windows.net/"))throw K("Detected ID token issuer is not an Azure ID token issuer",400);if(q&&q!==x)throw K("Provided issuer does not match ID token issuer",400);I=x}`,
  `else if(p==="facebook"||q===F.facebook)I=F.facebook;`,
  `else if(p==="keycloak")I=r.config.external?.keycloak?.url??"";`,
  `else if(p==="kakao"||q===F.kakao)I=F.kakao;`,
  `else if(p==="vercel_marketplace"||q===F.vercel_marketplace)I=F.vercel_marketplace;`,
  `else if(p==="snapchat"||q===F.snapchat)I=F.snapchat;`,
  `else if(p.startsWith("custom:"))throw K("Custom OAuth providers are disabled",400);`,
  `else throw K(\`Custom OIDC provider \${JSON.stringify(p)} not allowed\`,400);`,
  `throw new D(400,"provider_disabled",\`Provider (issuer \${JSON.stringify(I)}) is not enabled\`)}`,
].join("");
const web3 = `if(e==="web3")throw new D(422,"web3_provider_disabled","Web3 provider is disabled");`;

export default {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "ID-token and Web3 sign-in answer GoTrue's provider-disabled errors",
  upstream: `Auth: grant_type=id_token and grant_type=web3 should answer as GoTrue does with the provider off

GoTrue's POST /token knows five grant types (internal/api/token.go): password,
refresh_token, id_token, pkce, web3; only an unknown one answers 400 invalid_credentials
"unsupported_grant_type". lite answers that for id_token and web3 too, so
supabase.auth.signInWithIdToken() and signInWithWeb3() fail locally with a code no
hosted project gives.

With the provider not enabled, GoTrue answers:
- signInWithIdToken({ provider: "google", token }): 400 provider_disabled
  'Provider (issuer "https://accounts.google.com") is not enabled' (token_oidc.go
  getProvider; the issuer is the provider's, or for Apple and Azure the one read from the
  token, with "Unable to detect issuer in ID token for Apple provider" etc. when it can't be
  read); "custom:..." providers: 400 validation_failed "Custom OAuth providers are disabled";
  any other provider: 400 validation_failed 'Custom OIDC provider "x" not allowed'; without
  id_token: OAuth-style 400 { error: "invalid request", error_description: "id_token required" }.
- signInWithWeb3({ chain, message, signature }): 422 web3_provider_disabled "Web3 provider is
  disabled" (web3.go, checked before the parameters).

Fix: answer those two grant types with those errors (lite verifies no provider ID tokens
and no wallet signatures). If lite gains ID-token sign-in for an enabled provider, the
disabled answer becomes the else-branch.`,
  edits: [
    {
      find: `throw Ah()`,
      replace: `${web3}${idToken}throw Ah()`,
    },
  ],
};
