import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

const root = path.resolve(import.meta.dirname, "..");

export type RunningApp = { url: string; pid: number; stop: () => Promise<void> };

/** A production build of the app (`next build` into .next-bench), served by `next start`. */
export async function startProductionApp(port: number, env: Record<string, string>): Promise<RunningApp> {
  const fullEnv = {
    ...process.env,
    ...parseEnv(readFileSync(path.join(root, ".env.development"), "utf8")),
    ...env,
    NEXT_DIST_DIR: ".next-bench",
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_OPTIONS: "--experimental-websocket",
  };
  const next = path.join(root, "node_modules/next/dist/bin/next");
  const build = spawnSync(process.execPath, [next, "build"], { cwd: root, env: fullEnv, stdio: "ignore" });
  if (build.status !== 0) throw new Error("next build failed: run `NEXT_DIST_DIR=.next-bench npx next build` to see why");

  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [next, "start", "--port", String(port)], {
    cwd: root,
    env: { ...fullEnv, APP_URL: url },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/api/health`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error("next start did not answer");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resident memory of a process, in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}
