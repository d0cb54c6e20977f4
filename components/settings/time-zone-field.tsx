import { useId, useRef, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";

type TimeZoneFieldProps = {
  name: string;
  label: string;
  value: string;
  onChange: (zone: string) => void;
  /** The zones the server accepts. */
  zones: string[];
  hint?: string;
  error?: string;
};

const subscribeNever = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
// The server can't know the visitor's zone: render without the button, then add it.
const noTimeZone = () => null;

/**
 * A select of time zones with a button that picks the browser's own. The button is
 * offered only when that zone is one the server accepts: browsers and Node don't always
 * name a zone alike (Asia/Kolkata or Asia/Calcutta).
 */
export function TimeZoneField({ name, label, value, onChange, zones, hint, error }: TimeZoneFieldProps) {
  const id = useId();
  const description = error ?? hint;
  const descriptionId = `${id}-description`;
  const selectRef = useRef<HTMLSelectElement>(null);
  const detected = useSyncExternalStore(subscribeNever, browserTimeZone, noTimeZone);
  const offerDetected = detected !== null && detected !== value && zones.includes(detected);

  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900 dark:text-zinc-100">
        {label}
      </label>
      <div className="mt-1.5 flex flex-wrap items-center gap-3">
        <select
          ref={selectRef}
          id={id}
          name={name}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={description ? descriptionId : undefined}
          className="block w-full rounded-lg border-0 bg-white dark:bg-zinc-900 py-2 pr-8 pl-3 text-zinc-900 dark:text-zinc-100 shadow-sm ring-1 ring-zinc-300 dark:ring-zinc-700 ring-inset focus:ring-2 focus:ring-brand-600 dark:focus:ring-brand-400 focus:outline-none aria-invalid:ring-red-500 dark:aria-invalid:ring-red-400 aria-invalid:focus:ring-red-600 dark:aria-invalid:focus:ring-red-400 sm:max-w-xs sm:text-sm"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        {offerDetected && (
          <Button
            variant="secondary"
            onClick={() => {
              onChange(detected);
              // The button goes once its zone is chosen; show the choice instead of losing focus.
              selectRef.current?.focus();
            }}
          >
            Use my browser&apos;s time zone ({detected.replaceAll("_", " ")})
          </Button>
        )}
      </div>
      {description && (
        <p id={descriptionId} className={`mt-1.5 text-sm ${error ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400"}`}>
          {description}
        </p>
      )}
    </div>
  );
}
