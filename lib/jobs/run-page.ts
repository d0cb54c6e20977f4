/**
 * Where an operator reads a run. A dev server (the devstack, or `inngest-cli dev`) given
 * as a URL in INNGEST_DEV serves its runs page there; Inngest Cloud documents no stable
 * URL for a run (it depends on the environment's and function's slugs), so there the
 * console shows the run id to search for.
 */
export function runPageUrl(runId: string | null, inngestDev: string | undefined): string | null {
  if (!runId || !inngestDev || !URL.canParse(inngestDev)) return null;
  return new URL(`/runs/${encodeURIComponent(runId)}`, inngestDev).toString();
}

/** A dev server's list of one function's runs, newest first; null where none is known. */
export function functionRunsUrl(functionId: string, inngestDev: string | undefined): string | null {
  if (!inngestDev || !URL.canParse(inngestDev)) return null;
  const url = new URL("/", inngestDev);
  url.searchParams.set("function", functionId);
  return url.toString();
}
