import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { urls } from "./e2e/stack";

/**
 * e2e runs a production build of the app (e2e/app.ts) against its own devstack
 * (e2e/devstack.ts: PGlite in memory, so every run starts empty) on ports of its own, so
 * it never touches a developer's `npm run dev` or its data. It needs no PostgreSQL server,
 * and uses none when TEST_DATABASE_URL is set: what differs between the engines is the
 * integration tests' PostgreSQL pass. Chromium is the system's or Playwright's
 * (scripts/ensure-chromium.sh).
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
          // Unset: Playwright's own Chromium, which scripts/ensure-chromium.sh fetched.
          executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
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
      command: "npx tsx e2e/devstack.ts",
      url: `${urls.supabase}/auth/v1/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      name: "app",
      command: "npx tsx e2e/app.ts",
      url: urls.app,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
  ],
});
