import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

const root = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

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

export type NextMode = "dev" | "production";

export type NextOptions = {
  /** `next dev`, or `next build` then `next start`. */
  mode: NextMode;
  port: number;
  /** Keeps the build apart from a developer's .next and from other suites' builds. */
  distDir: string;
  /** The test's service URLs and settings, over .env.development and testAuthLimits. */
  env?: Record<string, string>;
  /** The app's own URL (APP_URL); http://127.0.0.1:<port> by default. */
  appUrl?: string;
  /** Polled until it answers 2xx: the app is ready. In dev, asking also compiles the route. */
  readyPath?: string;
  /** "inherit" shows Next's output (a script's own run); "quiet" keeps its stderr for errors. */
  output?: "inherit" | "quiet";
  /**
   * Its own process group (default), so stop() takes Next's workers down with it. A parent
   * that is itself killed as a group (Playwright's web server) passes false.
   */
  detached?: boolean;
  readyTimeoutMs?: number;
  /** Production only: false serves the build already in `distDir` (a second server over one build). */
  build?: boolean;
};

export type NextProcess = {
  url: string;
  pid: number;
  stop: () => Promise<void>;
  /** The whole lines the server has written to stdout so far (none with output "inherit"). */
  logs: () => string[];
};

/**
 * The environment the app runs with in every test, benchmark and browser test: the local
 * defaults (.env.development), the relaxed auth limits, the caller's services, and what
 * a production build against the devstack needs said (lib/env.ts refuses INNGEST_DEV
 * under NODE_ENV=production without OFFLOAD_LOCAL_SERVICES).
 */
export function nextEnv(options: Pick<NextOptions, "mode" | "distDir" | "env"> & { appUrl: string }): Record<string, string> {
  return {
    ...parseEnv(readFileSync(path.join(root, ".env.development"), "utf8")),
    ...testAuthLimits,
    ...(options.mode === "production" ? { OFFLOAD_LOCAL_SERVICES: "1" } : {}),
    // Tracing off unless a test asks for it with an endpoint of its own (set but empty: Next
    // leaves a variable the process already has alone, so .env.development's doesn't apply).
    OTEL_EXPORTER_OTLP_ENDPOINT: "",
    ...options.env,
    APP_URL: options.appUrl,
    NEXT_DIST_DIR: options.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: "--experimental-websocket",
  };
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: Pick<NextOptions, "output" | "detached"> & { stdout?: "pipe" | "ignore" },
): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], {
    cwd: root,
    detached: options.detached ?? true,
    stdio: options.output === "inherit" ? "inherit" : ["ignore", options.stdout ?? "ignore", "pipe"],
    env,
  });
}

/** Collects the child's stdout line by line (read as it comes, so the pipe never fills). */
function lines(child: ChildProcess): () => string[] {
  const complete: string[] = [];
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop() ?? "";
    complete.push(...parts);
  });
  return () => [...complete];
}

function tail(child: ChildProcess): () => string {
  let text = "";
  child.stderr?.on("data", (chunk: Buffer) => (text = (text + chunk.toString()).slice(-4000)));
  return () => text;
}

/**
 * The real Next.js app in a process of its own, so a test can kill it as a crash would and
 * start it again; resolves once `readyPath` answers.
 */
export async function spawnNext(options: NextOptions): Promise<NextProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const env = { ...process.env, ...nextEnv({ ...options, appUrl: options.appUrl ?? url }) };

  if (options.mode === "production" && options.build !== false) {
    const build = run(["build"], env, { ...options, detached: false });
    const output = tail(build);
    const status = await new Promise<number | null>((resolve) => build.once("exit", resolve));
    if (status !== 0) throw new Error(`next build (${options.distDir}) failed:\n${output()}`);
  }

  const child = run(options.mode === "dev" ? ["dev", "--port", String(options.port)] : ["start", "--port", String(options.port)], env, {
    ...options,
    stdout: "pipe",
  });
  const stderr = tail(child);
  const logs = lines(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      // A process group of its own: kill the group, Next's workers with it.
      if (options.detached ?? true) process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    }
    await exited;
  };

  const readyUrl = `${url}${options.readyPath ?? "/api/health"}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (!(await fetch(readyUrl).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`next ${options.mode === "dev" ? "dev" : "start"} did not answer ${readyUrl}:\n${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!child.pid) throw new Error("next has no process id");
  return { url, pid: child.pid, stop, logs };
}
