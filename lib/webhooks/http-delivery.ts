import http from "node:http";
import https from "node:https";
import { safeLookup, UnsafeAddressError, type UrlSafetyOptions } from "./url-safety";

/** How long one attempt may take, connecting and answering together. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a receiver's answer is kept (the delivery log shows it). */
export const RESPONSE_EXCERPT_BYTES = 4096;

export type DeliveryErrorKind = "timeout" | "connection" | "unsafe_address" | "dns" | "tls";

export type HttpDeliveryResult = {
  startedAt: Date;
  durationMs: number;
  /** The receiver's status, or null when it gave none. */
  status: number | null;
  /** The answer's first bytes (at most 4 KB), or null. */
  excerpt: string | null;
  /** A Retry-After header, as sent. */
  retryAfter: string | null;
  error: { kind: DeliveryErrorKind; message: string } | null;
};

const tlsCodes = new Set([
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

function classify(error: unknown): { kind: DeliveryErrorKind; message: string } {
  if (error instanceof UnsafeAddressError) return { kind: "unsafe_address", message: error.message };
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message };
  if (tlsCodes.has(code)) return { kind: "tls", message };
  return { kind: "connection", message: message || code || "connection failed" };
}

/**
 * POSTs one signed message and reports what happened, never throwing: redirects are not
 * followed (a 3xx is the answer), the whole exchange has 10 s, at most 4 KB of the answer
 * is read, and the connection goes only to an address the safety check allows.
 */
export function postWebhook({
  url,
  headers,
  body,
  safety,
  timeoutMs = DELIVERY_TIMEOUT_MS,
}: {
  url: URL;
  headers: Record<string, string>;
  body: string;
  safety: UrlSafetyOptions;
  timeoutMs?: number;
}): Promise<HttpDeliveryResult> {
  const startedAt = new Date();
  const started = performance.now();
  const transport = url.protocol === "https:" ? https : http;

  return new Promise((resolve) => {
    let done = false;
    const finish = (result: Omit<HttpDeliveryResult, "startedAt" | "durationMs">) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, startedAt, durationMs: Math.round(performance.now() - started) });
    };

    const request = transport.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: safeLookup(safety),
      // A fresh connection per attempt: the address is checked on each one.
      agent: false,
    });

    const timer = setTimeout(() => {
      finish({ status: null, excerpt: null, retryAfter: null, error: { kind: "timeout", message: `no answer within ${timeoutMs / 1000} s` } });
      request.destroy();
    }, timeoutMs);

    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const status = response.statusCode ?? null;
      const retryAfterHeader = response.headers["retry-after"];
      const retryAfter = typeof retryAfterHeader === "string" ? retryAfterHeader : null;
      const complete = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES);
        // Cut at a character boundary, so the excerpt stays within 4 KB as UTF-8 text.
        let text = excerpt.toString("utf8");
        while (Buffer.byteLength(text) > RESPONSE_EXCERPT_BYTES) text = text.slice(0, -1);
        finish({ status, excerpt: text, retryAfter, error: null });
        response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough read: the rest of the body is the receiver's business.
        if (size >= RESPONSE_EXCERPT_BYTES) complete();
      });
      response.on("end", complete);
      response.on("error", complete);
    });
    request.on("error", (error) => finish({ status: null, excerpt: null, retryAfter: null, error: classify(error) }));
    request.end(body);
  });
}
