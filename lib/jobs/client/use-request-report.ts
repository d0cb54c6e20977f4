"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useTransition } from "react";
import { HttpError } from "@/lib/http/errors";
import { jobTypes } from "../registry";
import { RateLimitedError, requestReport, type ReportRequestBody } from "./api";
import { jobKeys } from "./keys";
import { jobPagePath } from "./paths";

/** `crypto.randomUUID` exists only in secure contexts; a dev server on a LAN address isn't one. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * Requests a report, then opens its job page.
 *
 * Each submission carries an Idempotency-Key. The key is kept only while the outcome of
 * the last submission is unknown (in flight, or lost to a network error) and the same
 * report is asked for again: then the server answers with the job it may already have
 * made. Once it has answered, or the request changes, the next submission gets a new key.
 */
export function useRequestReport() {
  const router = useRouter();
  const client = useQueryClient();
  const [navigating, startNavigation] = useTransition();
  const unsettled = useRef<{ body: string; key: string } | null>(null);

  const mutation = useMutation({
    mutationFn: ({ body, key }: { body: ReportRequestBody; key: string }) =>
      requestReport(body, key),
    // Safe to repeat with the same key; a refusal from the server won't change on repeat.
    retry: (failures, error) => failures < 2 && !(error instanceof HttpError),
    onSuccess: ({ jobId }) => {
      unsettled.current = null;
      void client.invalidateQueries({ queryKey: jobKeys.lists() });
      startNavigation(() => router.push(jobPagePath({ id: jobId, type: jobTypes.report.type })));
    },
    onError: (error) => {
      if (error instanceof HttpError) unsettled.current = null;
    },
  });

  function submit(body: ReportRequestBody) {
    const serialized = JSON.stringify(body);
    if (unsettled.current?.body !== serialized)
      unsettled.current = { body: serialized, key: newIdempotencyKey() };
    mutation.mutate({ body, key: unsettled.current.key });
  }

  return {
    submit,
    pending: mutation.isPending || navigating || mutation.isSuccess,
    error: mutation.error,
    reset: mutation.reset,
  };
}

/** What to tell the user about a request that failed, when no field explains it. */
export function requestErrorMessage(error: Error): string {
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterSeconds;
    return wait === null
      ? "You're requesting reports too quickly. Try again in a moment."
      : `You're requesting reports too quickly. Try again in ${wait} ${wait === 1 ? "second" : "seconds"}.`;
  }
  if (error instanceof HttpError) return error.message;
  return "Couldn't reach the server. Check your connection and try again.";
}
