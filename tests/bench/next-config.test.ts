import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import nextConfig, { pageExtensions } from "@/next.config";

const root = path.resolve(import.meta.dirname, "../..");

describe("the benchmark's floor routes", () => {
  it("are left out of every build but the benchmark's", () => {
    expect(process.env.OFFLOAD_BENCH_ROUTES).toBeUndefined();
    expect(nextConfig.pageExtensions).toEqual(["tsx", "ts", "jsx", "js"]);
    expect(pageExtensions({ NODE_ENV: "production" })).not.toContain("bench.ts");
    expect(pageExtensions({ OFFLOAD_BENCH_ROUTES: "yes" })).not.toContain("bench.ts");
    expect(pageExtensions({ OFFLOAD_BENCH_ROUTES: "1" })).toEqual(["tsx", "ts", "jsx", "js", "bench.ts"]);
  });

  it("exist only as route.bench.ts files under app/api/bench, which a default build can't serve", async () => {
    const files = (await readdir(path.join(root, "app"), { recursive: true })).map((file) => file.split(path.sep).join("/"));
    const benchFiles = files.filter((file) => file.includes(".bench."));
    expect(benchFiles.length).toBeGreaterThan(0);
    for (const file of benchFiles) expect(file).toMatch(/^api\/bench\/.+\/route\.bench\.ts$/);
    // Nothing else under app/api/bench that Next would route by default.
    expect(files.filter((file) => file.startsWith("api/bench/") && /\/route\.(tsx|ts|jsx|js)$/.test(file))).toEqual([]);
  });
});
