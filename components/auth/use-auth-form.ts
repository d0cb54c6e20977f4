"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition, type FormEvent } from "react";
import { postJson } from "@/lib/http/client";
import { HttpError, type FieldErrors } from "@/lib/http/errors";

/**
 * Posts a form's fields as JSON to an auth endpoint, then navigates to the path
 * `destination` picks from the answer (if any). Returns props for the <form> and what
 * it shows: per-field errors, an error about the whole form, and a pending state that
 * lasts until the next page is on screen.
 */
export function useAuthForm<Result>(url: string, destination: (result: Result) => string | null) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [navigating, startNavigation] = useTransition();
  const mutation = useMutation({
    mutationFn: (fields: Record<string, FormDataEntryValue>) => postJson<Result>(url, fields),
    onSuccess: (result) => {
      const path = destination(result);
      if (path) startNavigation(() => router.replace(path));
    },
  });

  // After a failed submission, move focus to the first field in error; its message is
  // announced with it. Runs after render, once aria-invalid and the message are in place.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [mutation.error]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate(Object.fromEntries(new FormData(event.currentTarget)));
  }

  const fieldErrors: FieldErrors =
    (mutation.error instanceof HttpError && mutation.error.fields) || {};

  return {
    form: { ref: formRef, onSubmit, noValidate: true },
    pending: mutation.isPending || navigating,
    fieldErrors,
    formError: formErrorOf(mutation.error, fieldErrors),
    /** The API's error code (e.g. `email_not_confirmed`), for forms that offer a way on. */
    errorCode: mutation.error instanceof HttpError ? mutation.error.code : undefined,
    result: mutation.data,
    /** The last submission was accepted (also when it answered 204, with no result). */
    succeeded: mutation.isSuccess,
    /** The fields of the last submission. */
    submitted: mutation.variables,
  };
}

function formErrorOf(error: Error | null, fieldErrors: FieldErrors): string | undefined {
  // Field errors speak for themselves beside their inputs; otherwise explain at the top.
  if (!error || Object.keys(fieldErrors).length > 0) return undefined;
  if (error instanceof HttpError) return error.message;
  return "Couldn't reach the server. Check your connection and try again.";
}
