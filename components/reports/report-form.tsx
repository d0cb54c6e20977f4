"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { ReportRequestBody } from "@/lib/jobs/client/api";
import { reportKindLabels } from "@/lib/jobs/client/describe";
import { requestErrorMessage, useRequestReport } from "@/lib/jobs/client/use-request-report";
import { HttpError, type FieldErrors } from "@/lib/http/errors";
import { ChoiceField } from "./choice-field";

const kindOptions = [
  {
    value: "activity",
    label: reportKindLabels.activity,
    description: "Every activity in the range: when, type, who and amount.",
  },
  {
    value: "summary",
    label: reportKindLabels.summary,
    description: "One row per day and activity type, with a count and a total.",
  },
];

const formatOptions = [
  { value: "csv", label: "CSV", description: "Opens in any spreadsheet. The only format for now." },
];

/** The form's fields as the API takes them; the server checks them again and has the last word. */
function readForm(form: HTMLFormElement): { body: ReportRequestBody; errors: FieldErrors } {
  const data = new FormData(form);
  const field = (name: string) => String(data.get(name) ?? "");
  const body = {
    kind: field("kind") as ReportRequestBody["kind"],
    from: field("from"),
    to: field("to"),
    format: "csv" as const,
    notifyByEmail: data.get("notifyByEmail") === "on",
  };
  const errors: FieldErrors = {};
  if (!body.from) errors.from = "Choose the first day of the report.";
  if (!body.to) errors.to = "Choose the last day of the report.";
  // ISO dates compare correctly as strings.
  else if (body.from && body.from > body.to)
    errors.to = "The end date must not be before the start date.";
  return { body, errors };
}

/** Fields the form shows errors beside; the server's errors about anything else go at the top. */
const placedFields = new Set(["kind", "from", "to"]);

function formErrorOf(error: Error | null, fields: FieldErrors): string | undefined {
  if (!error) return undefined;
  const entries = Object.entries(fields);
  if (entries.length === 0) return requestErrorMessage(error);
  const unplaced = entries
    .filter(([name]) => !placedFields.has(name))
    .map(([, message]) => message);
  return unplaced.length > 0 ? unplaced.join(" ") : undefined;
}

type ReportFormProps = {
  /** The last 30 days, in the viewer's time zone; `defaultTo` is today there. */
  defaultFrom: string;
  defaultTo: string;
  /** The viewer's time zone: a report's days are theirs (the server refuses future ones). */
  timeZone: string;
  email: string;
};

/** Asks for a report, then opens its job page to watch it run. */
export function ReportForm({ defaultFrom, defaultTo, timeZone, email }: ReportFormProps) {
  const { submit, pending, error, reset } = useRequestReport();
  const notifyId = useId();
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const formRef = useRef<HTMLFormElement>(null);

  const serverErrors = (error instanceof HttpError && error.fields) || {};
  const fieldErrors = { ...serverErrors, ...clientErrors };
  const formError = formErrorOf(error, serverErrors);

  // After a refused submission, focus the first field in error; its message is read with it.
  // A radio group in error is a fieldset: focus its checked radio.
  useEffect(() => {
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid?.matches("input")
      ? invalid
      : invalid?.querySelector<HTMLElement>("input:checked, input")
    )?.focus();
  }, [error, clientErrors]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { body, errors } = readForm(event.currentTarget);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) {
      // What the server said was about the last submission, not this one.
      reset();
      return;
    }
    submit(body);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-6">
      {formError && <Alert tone="error">{formError}</Alert>}
      <ChoiceField
        name="kind"
        legend="Report"
        options={kindOptions}
        defaultValue="activity"
        error={fieldErrors.kind}
      />
      <fieldset>
        <legend className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Date range</legend>
        <div className="mt-1.5 grid gap-4 sm:grid-cols-2">
          <TextField
            name="from"
            label="From"
            type="date"
            required
            defaultValue={defaultFrom}
            max={defaultTo}
            error={fieldErrors.from}
          />
          <TextField
            name="to"
            label="To"
            type="date"
            required
            defaultValue={defaultTo}
            max={defaultTo}
            hint={`Both days included, as days in your time zone (${timeZone}).`}
            error={fieldErrors.to}
          />
        </div>
      </fieldset>
      <ChoiceField name="format" legend="Format" options={formatOptions} defaultValue="csv" />
      <div className="flex items-start gap-3">
        <input
          id={notifyId}
          name="notifyByEmail"
          type="checkbox"
          aria-describedby={`${notifyId}-hint`}
          className="mt-0.5 size-4 rounded border-zinc-300 dark:border-zinc-700 accent-brand-600 dark:accent-brand-400"
        />
        <div className="text-sm">
          <label htmlFor={notifyId} className="font-medium text-zinc-900 dark:text-zinc-100">
            Email me when it&apos;s ready
          </label>
          <p id={`${notifyId}-hint`} className="text-zinc-500 dark:text-zinc-400">
            We&apos;ll send a link to {email}, so you needn&apos;t wait on the page.
          </p>
        </div>
      </div>
      <Button type="submit" pending={pending} pendingLabel="Requesting…">
        Request report
      </Button>
    </form>
  );
}
