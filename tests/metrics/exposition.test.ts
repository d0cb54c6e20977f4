import { describe, expect, it } from "vitest";
import { PROMETHEUS_CONTENT_TYPE, formatValue, toPrometheusText } from "@/lib/metrics/exposition";
import { PROMETHEUS_METRICS, exposedSeriesNames } from "@/lib/metrics/prometheus-catalog";
import { histogramOf, parseScrape } from "../support/prometheus";

const counter = { name: "test_things_total", type: "counter", help: "Things.", labels: ["job_type"] } as const;
const histogram = { name: "test_wait_seconds", type: "histogram", help: "Waits.", labels: ["job_type"] } as const;

describe("toPrometheusText", () => {
  it("writes HELP, TYPE and one line per sample, read back by a real parser", () => {
    const text = toPrometheusText([
      { metric: counter, samples: [{ labels: { job_type: "a" }, value: 3 }, { labels: { job_type: "b" }, value: 0 }] },
    ]);
    expect(text).toBe(
      '# HELP test_things_total Things.\n# TYPE test_things_total counter\ntest_things_total{job_type="a"} 3\ntest_things_total{job_type="b"} 0\n',
    );
    const parsed = parseScrape(text).get("test_things_total");
    expect(parsed).toEqual({
      name: "test_things_total",
      help: "Things.",
      type: "COUNTER",
      metrics: [
        { labels: { job_type: "a" }, value: 3 },
        { labels: { job_type: "b" }, value: 0 },
      ],
    });
  });

  it("escapes backslashes, quotes and line feeds in label values, and backslashes and line feeds in help", () => {
    const awkward = 'C:\\dir "quoted"\nnext line';
    const text = toPrometheusText([
      { metric: { ...counter, help: "a \\ b\nc" }, samples: [{ labels: { job_type: awkward }, value: 1 }] },
    ]);
    expect(text).toContain('{job_type="C:\\\\dir \\"quoted\\"\\nnext line"} 1');
    expect(text).toContain("# HELP test_things_total a \\\\ b\\nc\n");
    expect(text.split("\n")).toHaveLength(4); // HELP, TYPE, the sample, the final newline
    const parsed = parseScrape(text).get("test_things_total")!;
    expect(parsed.metrics[0]!.labels.job_type).toBe(awkward);
  });

  it("writes a histogram's cumulative buckets with le, +Inf last, then _sum and _count", () => {
    const text = toPrometheusText([
      {
        metric: histogram,
        histograms: [
          {
            labels: { job_type: "a" },
            buckets: [
              { le: "1", count: 2 },
              { le: "5", count: 3 },
              { le: "+Inf", count: 4 },
            ],
            sum: 12.5,
            count: 4,
          },
        ],
      },
    ]);
    expect(text).toContain('test_wait_seconds_bucket{job_type="a",le="+Inf"} 4\ntest_wait_seconds_sum{job_type="a"} 12.5\n');
    expect(parseScrape(text).get("test_wait_seconds")?.type).toBe("HISTOGRAM");
    expect(histogramOf(text, "test_wait_seconds", { job_type: "a" })).toEqual({
      buckets: { "1": 2, "5": 3, "+Inf": 4 },
      sum: 12.5,
      count: 4,
    });
    expect(histogramOf(text, "test_wait_seconds", { job_type: "b" })).toBeUndefined();
  });

  it("refuses a histogram without +Inf, or whose +Inf bucket isn't its count", () => {
    const write = (buckets: { le: string; count: number }[], count: number) =>
      toPrometheusText([{ metric: histogram, histograms: [{ labels: { job_type: "a" }, buckets, sum: 0, count }] }]);
    expect(() => write([{ le: "1", count: 1 }], 1)).toThrow(/\+Inf/);
    expect(() => write([{ le: "+Inf", count: 1 }], 2)).toThrow(/\+Inf/);
    expect(() => write([{ le: "+Inf", count: 2 }], 2)).not.toThrow();
  });

  it("refuses samples whose labels aren't the metric's, and names that aren't Prometheus names", () => {
    expect(() => toPrometheusText([{ metric: counter, samples: [{ labels: {}, value: 1 }] }])).toThrow(/labels/);
    expect(() =>
      toPrometheusText([{ metric: counter, samples: [{ labels: { job_type: "a", extra: "b" }, value: 1 }] }]),
    ).toThrow(/labels/);
    expect(() => toPrometheusText([{ metric: { ...counter, name: "bad-name" }, samples: [] }])).toThrow(/metric name/);
  });

  it("spells non-finite values as the format does", () => {
    expect([NaN, Infinity, -Infinity, 0.25, 1e21].map(formatValue)).toEqual(["NaN", "+Inf", "-Inf", "0.25", "1e+21"]);
    expect(PROMETHEUS_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
  });
});

describe("the metric catalog", () => {
  it("names every metric offload_*, counters *_total, with a unit where there is one", () => {
    for (const metric of Object.values(PROMETHEUS_METRICS)) {
      expect(metric.name).toMatch(/^offload_[a-z_]+$/);
      if (metric.type === "counter") expect(metric.name).toMatch(/_total$/);
      else expect(metric.name).not.toMatch(/_total$/);
    }
    expect(PROMETHEUS_METRICS.jobDuration.name).toMatch(/_seconds$/);
    expect(PROMETHEUS_METRICS.oldestPendingAge.name).toMatch(/_seconds$/);
    expect(exposedSeriesNames()).toContain("offload_job_duration_seconds_bucket");
    expect(new Set(exposedSeriesNames()).size).toBe(exposedSeriesNames().length);
  });
});
