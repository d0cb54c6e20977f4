import { useId } from "react";

const tones = {
  active: "bg-brand-600",
  done: "bg-emerald-600",
  stopped: "bg-zinc-400 dark:bg-zinc-500",
  failed: "bg-red-500",
};

type ProgressBarProps = {
  /** Names the bar for assistive technology, and is shown above it. */
  label: string;
  /** 0 to 100; null while there is nothing to measure yet (indeterminate). */
  value: number | null;
  /** What the value means, e.g. "Step 2 of 5: aggregating"; read after the percentage. */
  description?: string | null;
  tone?: keyof typeof tones;
};

/**
 * A labelled progress bar. Screen readers hear "40%, Step 2 of 5: aggregating"
 * (aria-valuetext); without a value it is indeterminate and has no aria-valuenow.
 */
export function ProgressBar({ label, value, description, tone = "active" }: ProgressBarProps) {
  const labelId = useId();
  const percent = value === null ? null : Math.min(100, Math.max(0, Math.round(value)));
  const valueText =
    percent === null
      ? (description ?? "Waiting to start")
      : [`${percent}%`, description].filter(Boolean).join(", ");

  return (
    <div>
      <div className="flex items-baseline justify-between gap-4 text-sm">
        <span id={labelId} className="font-medium text-zinc-900 dark:text-zinc-100">
          {label}
        </span>
        {percent !== null && (
          <span aria-hidden="true" className="font-medium text-zinc-700 dark:text-zinc-300 tabular-nums">
            {percent}%
          </span>
        )}
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={valueText}
        className="mt-2 h-2.5 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
      >
        {percent === null ? (
          <div className="h-full w-full animate-pulse rounded-full bg-brand-100 dark:bg-brand-900 motion-reduce:animate-none" />
        ) : (
          <div
            className={`h-full rounded-full transition-[width] duration-500 ease-out motion-reduce:transition-none ${tones[tone]}`}
            style={{ width: `${percent}%` }}
          />
        )}
      </div>
    </div>
  );
}
