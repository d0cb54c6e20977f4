"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { z } from "zod";
import { answer, api } from "@/lib/http/client";
import { HttpError, type FieldErrors } from "@/lib/http/errors";
import type { ProfileSettings } from "@/lib/profiles/settings";
import { TimeZoneField } from "./time-zone-field";

const savedSchema = z.object({ profile: answer<ProfileSettings>() });

async function saveSettings(settings: ProfileSettings): Promise<ProfileSettings> {
  const { profile } = await api("/api/profile", savedSchema, { method: "PATCH", json: settings });
  return profile;
}

/** Fields the form shows errors beside; the server's errors about anything else go at the top. */
const placedFields = new Set<string>(["displayName", "timeZone", "digestOptIn"]);

function formErrorOf(error: Error | null): string | undefined {
  if (!error) return undefined;
  if (!(error instanceof HttpError)) return "Couldn't reach the server. Check your connection and try again.";
  const entries = Object.entries(error.fields ?? {});
  if (entries.length === 0) return error.message;
  const unplaced = entries.filter(([name]) => !placedFields.has(name)).map(([, message]) => message);
  return unplaced.length > 0 ? unplaced.join(" ") : undefined;
}

type SettingsFormProps = {
  initial: ProfileSettings;
  /** The zones the server accepts, so the list can't offer one it would refuse. */
  timeZones: string[];
};

/** The viewer's name, time zone and digest choice; saved together. */
export function SettingsForm({ initial, timeZones }: SettingsFormProps) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [values, setValues] = useState(initial);
  const digestId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  const mutation = useMutation({
    mutationFn: saveSettings,
    onSuccess: (saved) => {
      setValues(saved);
      // The header's name and every date on other pages come from the server.
      startRefresh(() => router.refresh());
    },
  });

  const fieldErrors: FieldErrors = (mutation.error instanceof HttpError && mutation.error.fields) || {};
  const formError = formErrorOf(mutation.error);
  // A zone saved before the list changed (or set elsewhere) stays choosable, not silently replaced.
  const zones = timeZones.includes(values.timeZone) ? timeZones : [values.timeZone, ...timeZones];

  // After a refused save, focus the first field in error; its message is read with it.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [mutation.error]);

  function change(next: Partial<ProfileSettings>) {
    setValues((current) => ({ ...current, ...next }));
    // "Saved" would no longer be true.
    if (mutation.isSuccess) mutation.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate(values);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="max-w-xl space-y-6">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        name="displayName"
        label="Display name"
        autoComplete="name"
        value={values.displayName}
        onChange={(event) => change({ displayName: event.target.value })}
        hint="Shown to people in your workspace. Up to 100 characters."
        error={fieldErrors.displayName}
      />
      <TimeZoneField
        name="timeZone"
        label="Time zone"
        value={values.timeZone}
        onChange={(timeZone) => change({ timeZone })}
        zones={zones}
        hint="Dates and times in the app, and when your digest arrives."
        error={fieldErrors.timeZone}
      />
      <div className="flex items-start gap-3">
        <input
          id={digestId}
          name="digestOptIn"
          type="checkbox"
          checked={values.digestOptIn}
          onChange={(event) => change({ digestOptIn: event.target.checked })}
          aria-invalid={fieldErrors.digestOptIn ? true : undefined}
          aria-describedby={`${digestId}-description`}
          className="mt-0.5 size-4 rounded border-zinc-300 dark:border-zinc-700 accent-brand-600 dark:accent-brand-400"
        />
        <div className="text-sm">
          <label htmlFor={digestId} className="font-medium text-zinc-900 dark:text-zinc-100">
            Daily digest
          </label>
          <p id={`${digestId}-description`} className="text-zinc-500 dark:text-zinc-400">
            {fieldErrors.digestOptIn ? (
              <span className="text-red-600 dark:text-red-400">{fieldErrors.digestOptIn}</span>
            ) : (
              "A summary of your workspace's last 24 hours, each morning at 08:00 in your time zone. Sent only when something happened."
            )}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" pending={mutation.isPending || refreshing} pendingLabel="Saving…">
          Save settings
        </Button>
        {mutation.isSuccess && !refreshing && <Alert tone="success">Settings saved.</Alert>}
      </div>
    </form>
  );
}
