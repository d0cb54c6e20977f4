import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PROMETHEUS_METRICS, exposedSeriesNames } from "@/lib/metrics/prometheus-catalog";

/**
 * The committed Grafana dashboard queries only what GET /api/metrics exposes: a metric
 * renamed in the catalog, or a typo in a panel, fails here instead of leaving a panel empty.
 */
const file = path.resolve(import.meta.dirname, "../../monitoring/grafana/offload-jobs.json");

const datasource = z.object({ type: z.literal("prometheus"), uid: z.string() });
const dashboardSchema = z.object({
  title: z.string(),
  uid: z.string(),
  templating: z.object({
    list: z.array(
      z.object({
        name: z.string(),
        type: z.string(),
        query: z.union([z.string(), z.object({ query: z.string() })]),
        datasource: datasource.optional(),
      }),
    ),
  }),
  panels: z.array(
    z.object({
      title: z.string(),
      datasource,
      targets: z.array(z.object({ refId: z.string(), expr: z.string(), datasource })).min(1),
    }),
  ),
});

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset"]);

/** The metric and label names a PromQL expression uses (the subset the dashboard writes). */
function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  let rest = expr.replace(/\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g, (_, matchers: string) => {
    for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)) labels.push(label!);
    return " ";
  });
  rest = rest.replace(/\[[^\]]*\]/g, " ");
  rest = rest.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, list: string) => {
    labels.push(...list.split(",").map((label) => label.trim()).filter(Boolean));
    return " ";
  });
  const metrics = [...rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((match) => !/^\s*\(/.test(rest.slice(match.index + match[0].length)))
    .map((match) => match[0])
    .filter((name) => !KEYWORDS.has(name) && !/^\d/.test(name) && !(name === "e" || name === "Inf" || name === "NaN"));
  return { metrics, labels };
}

const dashboard = dashboardSchema.parse(JSON.parse(readFileSync(file, "utf8")));
const targets = dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, ...target })));
const declaredLabels = new Set([...Object.values(PROMETHEUS_METRICS).flatMap((metric) => [...metric.labels]), "le"]);

describe("the Grafana dashboard", () => {
  it("reads metric and label names out of PromQL as this test needs", () => {
    expect(promqlNames('histogram_quantile(0.95, sum by (job_type, le) (rate(x_bucket{a="b}c", d!~"e"}[5m])))')).toEqual({
      metrics: ["x_bucket"],
      labels: ["a", "d", "job_type", "le"],
    });
    expect(promqlNames("sum(y_total) / sum(z) or vector(0) * 60").metrics).toEqual(["y_total", "z"]);
  });

  it("queries only metrics the endpoint exposes, by labels they carry", () => {
    const exposed = new Set(exposedSeriesNames());
    for (const target of targets) {
      const { metrics, labels } = promqlNames(target.expr);
      expect(metrics.length, `${target.panel}: ${target.expr}`).toBeGreaterThan(0);
      for (const metric of metrics) expect(exposed, `${target.panel}: ${metric}`).toContain(metric);
      for (const label of labels) expect(declaredLabels, `${target.panel}: ${label}`).toContain(label);
    }
  });

  it("shows every metric the endpoint exposes somewhere", () => {
    const used = new Set(targets.flatMap((target) => promqlNames(target.expr).metrics));
    for (const metric of Object.values(PROMETHEUS_METRICS)) {
      const series = metric.type === "histogram" ? `${metric.name}_bucket` : metric.name;
      expect(used, metric.name).toContain(series);
    }
  });

  it("takes its Prometheus data source from a variable, so it imports into any Grafana", () => {
    const variable = dashboard.templating.list.find((v) => v.type === "datasource");
    expect(variable).toMatchObject({ name: "datasource", query: "prometheus" });
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe("${datasource}");
      for (const target of panel.targets) expect(target.datasource.uid, panel.title).toBe("${datasource}");
    }
    const jobType = dashboard.templating.list.find((v) => v.name === "job_type");
    expect(jobType?.datasource?.uid).toBe("${datasource}");
    const query = typeof jobType?.query === "string" ? jobType.query : jobType?.query.query;
    const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(query ?? "") ?? [];
    expect(exposedSeriesNames()).toContain(metric);
    expect(declaredLabels).toContain(label);
  });
});
