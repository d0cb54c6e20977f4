"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type ChartSeries = {
  label: string;
  /** One value per timestamp; null where there is nothing to plot. */
  values: (number | null)[];
  color: string;
};

type TimeSeriesChartProps = {
  /** Bucket midpoints, in milliseconds. */
  timestamps: number[];
  /** How long each bucket is: the x axis spans whole buckets, so no bar is cut off. */
  bucketSeconds: number;
  series: ChartSeries[];
  kind: "bars" | "line";
  formatValue: (value: number) => string;
  timeZone: string;
  height?: number;
};

/**
 * A uPlot chart that fills its container's width. Canvas is invisible to screen readers,
 * so it is hidden from them: callers put the same figures in a summary and a table.
 */
export function TimeSeriesChart({
  timestamps,
  bucketSeconds,
  series,
  kind,
  formatValue,
  timeZone,
  height = 220,
}: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const bars = uPlot.paths.bars;
    // Canvas can't inherit CSS colours: the axes take the container's text colour (light or dark).
    const ink = { stroke: getComputedStyle(element).color, grid: { stroke: "rgb(128 128 128 / 0.2)" }, ticks: { stroke: "rgb(128 128 128 / 0.2)" } };
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height,
        // uPlot draws in the browser's zone; show the viewer's, as every other page does.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), timeZone),
        scales: {
          // From the first bucket's start to the last one's end. uPlot's default, first to
          // last midpoint, cuts the outer bars in half: side by side, the newest bucket's
          // failures (right of its midpoint) vanished while the y axis still counted them.
          x: { time: true, range: (_u, min, max) => [min - bucketSeconds / 2, max + bucketSeconds / 2] },
          y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] },
        },
        axes: [{ ...ink }, { ...ink, size: 64, values: (_u, splits) => splits.map(formatValue) }],
        series: [
          {},
          ...series.map((s, index) => ({
            label: s.label,
            stroke: s.color,
            fill: kind === "bars" ? s.color : `${s.color}1a`,
            width: kind === "bars" ? 0 : 2,
            value: (_u: uPlot, value: number | null) => (value === null ? "—" : formatValue(value)),
            // Side by side: each series takes its share of the bucket.
            ...(kind === "bars" && bars
              ? {
                  paths: bars({ size: [0.8 / series.length, 40], align: series.length > 1 ? (index === 0 ? -1 : 1) : 0 }),
                  points: { show: false },
                }
              : { spanGaps: false, points: { size: 5 } }),
          })),
        ],
      },
      [timestamps.map((ms) => ms / 1000), ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [timestamps, bucketSeconds, series, kind, formatValue, timeZone, height]);

  return <div ref={container} aria-hidden="true" className="min-h-[220px] w-full text-zinc-600 dark:text-zinc-400" />;
}
