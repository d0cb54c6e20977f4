import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { z } from "zod";

/**
 * A scrape read by a real parser of the text format (parse-prometheus-text-format, whose
 * output follows prom2json's), checked against the shape it documents, values as numbers.
 */

const number = z.string().transform((text, ctx) => {
  const value = text === "+Inf" ? Infinity : text === "-Inf" ? -Infinity : Number(text);
  if (Number.isNaN(value) && text !== "NaN") ctx.addIssue({ code: "custom", message: `not a number: ${text}` });
  return value;
});
const labels = z.record(z.string(), z.string()).optional().transform((value) => value ?? {});

const family = z.discriminatedUnion("type", [
  z.object({
    name: z.string(),
    help: z.string(),
    type: z.enum(["COUNTER", "GAUGE", "UNTYPED"]),
    metrics: z.array(z.object({ labels, value: number })),
  }),
  z.object({
    name: z.string(),
    help: z.string(),
    type: z.literal("HISTOGRAM"),
    // Sum and count go missing from labelled histograms (see histogramOf).
    metrics: z.array(z.object({ labels, buckets: z.record(z.string(), number), sum: number.optional(), count: number.optional() })),
  }),
]);

export type ParsedFamily = z.output<typeof family>;

export function parseScrape(text: string): Map<string, ParsedFamily> {
  const families = z.array(family).parse(parsePrometheusTextFormat(text));
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of `name`'s sample whose labels are exactly `want`; undefined when there is none. */
export function valueOf(families: Map<string, ParsedFamily>, name: string, want: Record<string, string>): number | undefined {
  const found = families.get(name);
  if (!found || found.type === "HISTOGRAM") return undefined;
  const same = (labels: Record<string, string>) =>
    Object.keys(labels).length === Object.keys(want).length && Object.entries(want).every(([k, v]) => labels[k] === v);
  return found.metrics.find((m) => same(m.labels))?.value;
}

/**
 * One series of a labelled histogram, read by the parser. Its histogram grouping keeps
 * label-less histograms only (every label set's buckets land in one object, and their
 * _sum and _count are dropped), so the series' lines are handed to it alone, their
 * labels taken off: `labels` must be the series' labels, in the order they are written.
 */
export function histogramOf(text: string, name: string, labels: Record<string, string>) {
  const written = Object.entries(labels).map(([label, value]) => `${label}="${value}"`).join(",");
  const lines = text.split("\n").flatMap((line) => {
    if (line === `# TYPE ${name} histogram` || line.startsWith(`# HELP ${name} `)) return [line];
    if (line.startsWith(`${name}_bucket{${written},le=`)) return [line.replace(`{${written},`, "{")];
    for (const suffix of ["_sum", "_count"]) {
      if (line.startsWith(`${name}${suffix}{${written}} `)) return [line.replace(`{${written}}`, "")];
    }
    return [];
  });
  const found = parseScrape(`${lines.join("\n")}\n`).get(name);
  if (found?.type !== "HISTOGRAM" || found.metrics.length !== 1) return undefined;
  const [series] = found.metrics;
  if (series?.sum === undefined || series.count === undefined) return undefined;
  return { buckets: series.buckets, sum: series.sum, count: series.count };
}
