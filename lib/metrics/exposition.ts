import type { PrometheusMetricDefinition } from "./prometheus-catalog";

/**
 * The Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), for
 * figures that are already totals: the counters and histogram buckets come from SQL as
 * absolute values, which a client library's in-process metrics (that only count what
 * this process observed) can't carry. Pure: no I/O, so every rule is unit-tested.
 */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type Labels = Record<string, string>;

export type Sample = { labels: Labels; value: number };

export type HistogramSample = {
  labels: Labels;
  /** Cumulative counts by upper bound (`le`), ascending, the last one "+Inf". */
  buckets: { le: string; count: number }[];
  sum: number;
  count: number;
};

type Defined<Type extends PrometheusMetricDefinition["type"]> = PrometheusMetricDefinition & { type: Type };

export type MetricFamily =
  | { metric: Defined<"counter" | "gauge">; samples: Sample[] }
  | { metric: Defined<"histogram">; histograms: HistogramSample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The whole scrape: each family's # HELP and # TYPE, then its samples; ends with a newline. */
export function toPrometheusText(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    const { name, type, help } = family.metric;
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    if ("histograms" in family) {
      for (const sample of family.histograms) lines.push(...histogramLines(family.metric, sample));
    } else {
      for (const sample of family.samples) {
        checkLabels(family.metric, sample.labels);
        lines.push(sampleLine(name, sample.labels, sample.value));
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

function histogramLines(metric: Defined<"histogram">, sample: HistogramSample): string[] {
  checkLabels(metric, sample.labels);
  const last = sample.buckets.at(-1);
  if (!last || last.le !== "+Inf" || last.count !== sample.count) {
    throw new Error(`${metric.name}: the buckets must end with le="+Inf" holding the count`);
  }
  return [
    ...sample.buckets.map(({ le, count }) => sampleLine(`${metric.name}_bucket`, { ...sample.labels, le }, count)),
    sampleLine(`${metric.name}_sum`, sample.labels, sample.sum),
    sampleLine(`${metric.name}_count`, sample.labels, sample.count),
  ];
}

/** Each sample carries exactly the metric's declared labels, so no series is half-labelled. */
function checkLabels(metric: PrometheusMetricDefinition, labels: Labels): void {
  const given = Object.keys(labels).sort();
  const declared = [...metric.labels].sort();
  if (given.join() !== declared.join()) {
    throw new Error(`${metric.name}: labels ${given.join(", ")} instead of ${declared.join(", ")}`);
  }
}

function sampleLine(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([label, text]) => {
    if (!LABEL_NAME.test(label) || label.startsWith("__")) throw new Error(`invalid label name ${label}`);
    return `${label}="${escapeLabelValue(text)}"`;
  });
  return `${name}${pairs.length ? `{${pairs.join(",")}}` : ""} ${formatValue(value)}`;
}

/** Go's ParseFloat reads what JavaScript prints, except the non-finite values' spellings. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** In HELP text only backslash and line feed are escaped. */
const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

/** In label values, the double quote too. */
export const escapeLabelValue = (text: string) => escapeHelp(text).replace(/"/g, '\\"');
