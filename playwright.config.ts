import { defineConfig, devices } from "@playwright/test";
import { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from "./devstack/supabase/keys";

/**
 * e2e runs a production build of the app against its own devstack (fresh, in memory) on
 * ports of its own, so it never touches a developer's `npm run dev` or its data.
 * Chromium comes from the system (scripts/ensure-chromium.sh), not Playwright's download.
 */
const ports = { app: 3100, supabase: 55321 };
const appUrl = `http://localhost:${ports.app}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      name: "devstack",
      command: "npx tsx devstack/cli.ts",
      url: `http://127.0.0.1:${ports.supabase}/auth/v1/health`,
      env: { DEVSTACK_DATA_DIR: "memory", DEVSTACK_SUPABASE_PORT: String(ports.supabase) },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      name: "app",
      command: `npx next build && npx next start --port ${ports.app}`,
      url: appUrl,
      env: {
        NEXT_DIST_DIR: ".next-e2e",
        APP_URL: appUrl,
        SUPABASE_URL: `http://127.0.0.1:${ports.supabase}`,
        SUPABASE_PUBLISHABLE_KEY: LOCAL_PUBLISHABLE_KEY,
        SUPABASE_SECRET_KEY: LOCAL_SECRET_KEY,
      },
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
  ],
});
