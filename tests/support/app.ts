import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

const root = path.resolve(import.meta.dirname, "../..");

export type AppProcess = { url: string; stop: () => Promise<void> };

/**
 * The test suites sign many users up and in from one address (127.0.0.1), and a sign-up
 * waiting out AUTH_MIN_RESPONSE_MS only slows them: limits no suite reaches, and no floor.
 * The test of the throttling itself passes its own low limits in `env`.
 */
export const testAuthLimits: Record<string, string> = {
  AUTH_SIGN_IN_LIMIT_PER_EMAIL: "100000",
  AUTH_SIGN_IN_LIMIT_PER_IP: "100000",
  AUTH_SIGN_UP_LIMIT_PER_IP: "100000",
  AUTH_EMAIL_LIMIT_PER_ADDRESS: "100000",
  AUTH_EMAIL_LIMIT_PER_IP: "100000",
  AUTH_MIN_RESPONSE_MS: "0",
};

/**
 * The real Next.js app (`next dev`) in a process of its own, so a test can kill it as a
 * crash would and start it again. Its environment is .env.development with the given
 * overrides (the test's service URLs, over testAuthLimits); `distDir` keeps it apart from a
 * developer's .next.
 */
export async function startApp(options: {
  port: number;
  distDir: string;
  env: Record<string, string>;
}): Promise<AppProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "dev", "--port", String(options.port)],
    {
      cwd: root,
      detached: true, // its own process group, so stop() takes Next's workers down with it
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        ...parseEnv(readFileSync(path.join(root, ".env.development"), "utf8")),
        ...testAuthLimits,
        ...options.env,
        APP_URL: url,
        NEXT_DIST_DIR: options.distDir,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_OPTIONS: "--experimental-websocket",
      },
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 120_000;
  // Asking for the Inngest endpoint also makes next dev compile it before the executor syncs.
  while (!(await fetch(`${url}/api/inngest`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next dev did not start on ${url}:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
      await exited;
    },
  };
}
