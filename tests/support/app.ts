import { spawnNext, type NextProcess } from "./next";

export type AppProcess = NextProcess;

/**
 * The app under `next dev` for an integration test, ready once its Inngest endpoint
 * answers (which also makes next dev compile it before the executor syncs).
 */
export function startApp(options: { port: number; distDir: string; env: Record<string, string> }): Promise<AppProcess> {
  return spawnNext({ mode: "dev", readyPath: "/api/inngest", ...options });
}
