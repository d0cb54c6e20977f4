/**
 * A fetch for a Supabase client that records every request it sends, as `METHOD /path`:
 * the backend calls a piece of code costs.
 */
export function countingFetch() {
  const calls: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    calls.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request);
  };
  return { calls, fetch: fetcher };
}
