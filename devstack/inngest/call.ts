/**
 * One HTTP call to a function's runtime URL, classified the way the call loop needs it:
 * did the SDK answer (and how), or is the app not there (down, restarting, compiling,
 * not an Inngest endpoint)? Connection failures never burn a function attempt; answers
 * that didn't come from the SDK do once they go on too long (retry-rules.ts).
 */
import { HEADERS, type CallRequestBody } from "./protocol";
import { describeFetchError } from "./registry";

export type CallResult =
  | {
      kind: "sdk";
      status: number;
      body: unknown;
      /**
       * `X-Inngest-No-Retry: true`. Any other answer may be retried, whatever its status:
       * the SDK marks the errors it means to be final.
       */
      noRetry: boolean;
      /** Absolute time from `Retry-After` (seconds or a date). */
      retryAt?: number;
      /** The SDK's `x-inngest-req-version`, to echo on later calls. */
      version?: number;
    }
  | {
      kind: "unavailable";
      reason: string;
      refused: boolean;
      /** Something answered, but not the SDK (no `x-inngest-req-version`): its status. */
      notSdkStatus?: number;
    };

export async function callFunction(
  runtimeUrl: string,
  stepId: string,
  body: CallRequestBody,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const url = new URL(runtimeUrl);
  url.searchParams.set("stepId", stepId);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [HEADERS.serverKind]: "dev",
        ...(body.version > 0 ? { [HEADERS.requestVersion]: String(body.version) } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const reason = describeFetchError(error);
    return { kind: "unavailable", reason, refused: /ECONNREFUSED|ECONNRESET|socket hang up|other side closed/i.test(reason) };
  }

  // The SDK stamps every answer with its request version; anything without it came from
  // something else (a proxy, Next's error overlay, a 404 page) and says nothing about the run.
  const versionHeader = response.headers.get(HEADERS.requestVersion);
  if (versionHeader === null) {
    return {
      kind: "unavailable",
      reason: `${response.status} ${response.statusText} without ${HEADERS.requestVersion}: ${text.slice(0, 200)}`,
      refused: false,
      notSdkStatus: response.status,
    };
  }
  return {
    kind: "sdk",
    status: response.status,
    body: parseJson(text),
    noRetry: response.headers.get(HEADERS.noRetry) === "true",
    retryAt: parseRetryAfter(response.headers.get(HEADERS.retryAfter)),
    version: Number.isFinite(Number(versionHeader)) ? Number(versionHeader) : undefined,
  };
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Date.now() + seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}
