/**
 * The e2e app: a production build served by `next start` on the e2e port, launched as the
 * tests and benchmarks launch theirs (tests/support/next.ts). Playwright runs it as a web
 * server and ends it with its process group, Next's processes included.
 */
import { spawnNext } from "../tests/support/next";
import { APP_DIST_DIR, appSettings, ports, urls } from "./stack";

await spawnNext({
  mode: "production",
  port: ports.app,
  distDir: APP_DIST_DIR,
  appUrl: urls.app,
  env: appSettings,
  output: "inherit",
  detached: false,
  readyTimeoutMs: 60_000,
});
