import { HttpError } from "./errors";

/**
 * POSTs `body` as JSON to one of our route handlers and returns the parsed answer
 * (undefined for 204). Error responses are thrown as the `HttpError` the handler threw.
 */
export async function postJson<Result = undefined>(url: string, body?: unknown): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw HttpError.fromBody(response.status, data);
  return data as Result;
}
