import { defineConfig, devices } from "@playwright/test";
import { appEnv, devstackEnv, ports, urls } from "./e2e/stack";

/**
 * e2e runs a production build of the app against its own devstack (fresh, in memory) on
 * ports of its own, so it never touches a developer's `npm run dev` or its data.
 * Chromium comes from the system (scripts/ensure-chromium.sh), not Playwright's download.
 */
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
    baseURL: urls.app,
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
      command: "npx tsx e2e/fresh-database.ts && npx tsx devstack/cli.ts",
      url: `${urls.supabase}/auth/v1/health`,
      env: devstackEnv,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      name: "app",
      command: `npx next build && npx next start --port ${ports.app}`,
      url: urls.app,
      env: appEnv,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
  ],
});
