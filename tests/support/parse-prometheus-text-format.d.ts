// The package ships no types; tests/support/prometheus.ts validates what it returns.
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown;
}
