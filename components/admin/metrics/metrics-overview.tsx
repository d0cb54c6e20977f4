"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useMetricsOverview } from "@/lib/metrics/client";
import type { MetricsOverview as Overview } from "@/lib/metrics/overview";
import { METRICS_WINDOWS, metricsWindows, type MetricsWindow } from "@/lib/metrics/window";
import { MetricsCharts } from "./metrics-charts";
import { MetricsTable } from "./metrics-table";

/**
 * The console's overview: a window picker, the per-type table and the charts. The server
 * renders the first window; switching keeps the old figures (dimmed) until the new ones
 * arrive, and the URL keeps the choice for a reload.
 */
export function MetricsOverview({ initial, timeZone }: { initial: Overview; timeZone: string }) {
  const [selected, setSelected] = useState<MetricsWindow>(initial.window);
  const metrics = useMetricsOverview(selected, initial);
  const { label } = metricsWindows[selected];

  function choose(next: MetricsWindow) {
    setSelected(next);
    // Next keeps history.replaceState in step with its router, without a server round trip.
    history.replaceState(null, "", `?window=${next}`);
  }

  const data = metrics.data;
  const updating = metrics.isPlaceholderData || (metrics.isFetching && !data);

  return (
    <div className="space-y-8">
      <WindowPicker value={selected} onChange={choose} />

      <p role="status" className="sr-only">
        {updating ? `Loading ${label.toLowerCase()}…` : ""}
      </p>

      {metrics.isError && (
        <Alert tone="error">
          <p>
            {data ? "Could not refresh the metrics; showing the last figures we had." : "Could not load the metrics."}{" "}
            {metrics.error.message}
          </p>
          <Button variant="secondary" className="mt-3" onClick={() => void metrics.refetch()}>
            Try again
          </Button>
        </Alert>
      )}

      {!data ? (
        !metrics.isError && <LoadingCards />
      ) : (
        <div className={`space-y-8 transition-opacity ${updating ? "opacity-50" : ""}`} aria-busy={updating}>
          <Card
            id="metrics-by-type"
            title="By job type"
            description={`${label}. Queue, oldest pending and stuck are as of now.`}
          >
            {data.types.length === 0 ? (
              <Empty label={label} />
            ) : (
              <div className="-mx-6">
                <MetricsTable types={data.types} caption={`Job metrics per type, ${label.toLowerCase()}`} />
              </div>
            )}
          </Card>
          {data.series.length > 0 && (
            <Card id="metrics-trends" title="Trends" description="Per period, for one job type at a time.">
              <MetricsCharts
                series={data.series}
                bucketSeconds={data.bucketSeconds}
                timeZone={timeZone}
                windowLabel={label}
              />
            </Card>
          )}
        </div>
      )}
    </div>
  );
}

function WindowPicker({ value, onChange }: { value: MetricsWindow; onChange: (window: MetricsWindow) => void }) {
  return (
    <fieldset>
      <legend className="sr-only">Time window</legend>
      <div className="inline-flex rounded-lg bg-white dark:bg-zinc-900 p-1 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-800">
        {METRICS_WINDOWS.map((option) => (
          <label
            key={option}
            className="cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium text-zinc-600 dark:text-zinc-400 has-checked:bg-brand-600 has-checked:text-white dark:has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-brand-600 dark:has-focus-visible:outline-brand-400"
          >
            <input
              type="radio"
              name="metrics-window"
              value={option}
              checked={value === option}
              onChange={() => onChange(option)}
              className="sr-only"
            />
            {metricsWindows[option].label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function Empty({ label }: { label: string }) {
  return (
    <div className="py-8 text-center">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">No jobs in this window</p>
      <p className="mx-auto mt-1 max-w-sm text-sm text-zinc-500 dark:text-zinc-400">
        Nothing finished, waited or ran in the {label.toLowerCase()}. Try a longer window.
      </p>
    </div>
  );
}

function LoadingCards() {
  return (
    <div className="space-y-8" aria-hidden="true">
      {[0, 1].map((index) => (
        <div key={index} className="h-48 animate-pulse rounded-2xl bg-white dark:bg-zinc-900 ring-1 ring-zinc-200 dark:ring-zinc-800" />
      ))}
    </div>
  );
}
