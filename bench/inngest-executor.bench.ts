/**
 * What the local Inngest executor costs per step, executor and app in this one process,
 * over loopback HTTP.
 *
 * - Executor overhead: a minimal fake app (no SDK) reports STEPS steps, p50/p99 per step.
 *   One step per call: from the app writing a 206 `StepRun` to the executor's next request
 *   arriving (parsing, bookkeeping, the next HTTP round trip). Checkpointing: the round trip
 *   of each `POST /v1/checkpoint/:runId/async` the app makes while its one call goes on.
 * - With the real SDK (inngest/node `serve()`), once with checkpointing (SDK v4's default,
 *   as on Inngest Cloud) and once without: a function runs STEPS trivial `step.run`s; each
 *   step records when its body starts and ends, and the gap is from one step's end to the
 *   next step's start. Without checkpointing every step is a new call in which the SDK
 *   replays every memoized step before the new one, so later steps cost more (the SDK's
 *   cost, paid against Inngest Cloud too); with it, the run is one call.
 * - Throughput: RUNS one-step runs sent in one batch; runs/s from the send to the last
 *   completion.
 */
import http from "node:http";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { startInngest, type InngestDevServer } from "../devstack/inngest/server";
import { freePort } from "../tests/support/free-port";
import { ms, percentile } from "./stats";

const STEPS = 200;
const RUNS = 300;

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export async function run() {
  await executorOverhead();
  await withRealSdk();
}

async function executorOverhead() {
  for (const checkpointing of [false, true]) {
    const gaps = await fakeApp(checkpointing);
    console.log(
      `executor overhead per step (fake app, ${STEPS} steps, ${checkpointing ? "checkpointed" : "one step per call"}): ` +
        `p50 ${ms(percentile(gaps, 50))}, p99 ${ms(percentile(gaps, 99))}`,
    );
  }
}

/** Runs STEPS steps through a fake app and returns the executor's share of each, in ms. */
async function fakeApp(checkpointing: boolean): Promise<number[]> {
  const port = await freePort();
  const executorPort = await freePort();
  const url = `http://127.0.0.1:${port}/api/inngest`;
  const answeredAt: number[] = [];
  const gaps: number[] = [];
  const headers = { "content-type": "application/json", "x-inngest-req-version": "2" };
  const stepRun = (n: number) => ({ id: `step-${n}`, op: "StepRun", name: `step-${n}`, data: n });
  const app = http.createServer((req, res) => {
    const arrived = performance.now();
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "PUT") {
        const fn = {
          id: "fake-many",
          triggers: [{ event: "bench/fake" }],
          steps: { step: { id: "step", name: "step", runtime: { type: "http", url: `${url}?fnId=fake-many&stepId=step` } } },
        };
        res.writeHead(200, { "content-type": "application/json", "x-inngest-sync-kind": "in_band" });
        return res.end(JSON.stringify({ app_id: "fake", url, functions: [fn] }));
      }
      const call = JSON.parse(body) as { steps: object; ctx: { run_id: string; fn_id?: string; qi_id?: string } };
      if (checkpointing) {
        // As the SDK does: run each step, checkpoint it, go on; then finish in the answer.
        void (async () => {
          for (let n = 0; n < STEPS; n++) {
            const sent = performance.now();
            const answer = await fetch(`http://127.0.0.1:${executorPort}/v1/checkpoint/${call.ctx.run_id}/async`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ run_id: call.ctx.run_id, fn_id: call.ctx.fn_id, qi_id: call.ctx.qi_id, steps: [stepRun(n)] }),
            });
            await answer.arrayBuffer();
            gaps.push(performance.now() - sent);
          }
          res.writeHead(206, headers);
          res.end(JSON.stringify([{ id: "complete", op: "RunComplete", data: STEPS }]));
        })();
        return;
      }
      const done = Object.keys(call.steps).length;
      if (answeredAt.length > 0) gaps.push(arrived - answeredAt.at(-1)!);
      if (done === STEPS) {
        res.writeHead(200, headers);
        res.end("null");
      } else {
        res.writeHead(206, headers);
        res.end(JSON.stringify([stepRun(done)]));
      }
      answeredAt.push(performance.now());
    });
  });
  await new Promise<void>((resolve) => app.listen(port, "127.0.0.1", resolve));
  const executor = await startInngest({ appUrls: [url], port: executorPort, checkpointing, log: () => {} });
  try {
    await executor.sync();
    const [eventId] = executor.executor.send([{ name: "bench/fake" }]);
    await finished(executor, new Set([eventId!]));
    return gaps;
  } finally {
    await executor.close();
    await closeServer(app);
  }
}

async function withRealSdk() {
  const perStep: Record<string, number> = {};
  for (const checkpointing of [false, true]) {
    perStep[String(checkpointing)] = await realSdk(checkpointing);
  }
  console.log(`checkpointing makes a ${STEPS}-step run ${(perStep.false! / perStep.true!).toFixed(1)}x cheaper per step`);
}

/** Runs the SDK's STEPS-step function (and a batch of one-step runs); returns ms per step. */
async function realSdk(checkpointing: boolean): Promise<number> {
  const mode = checkpointing ? "checkpointing" : "one step per call";
  const [executorPort, appPort] = [await freePort(), await freePort()];
  const inngest = new Inngest({ id: "bench", isDev: true, baseUrl: `http://127.0.0.1:${executorPort}`, logger: quiet, internalLogger: quiet });
  const spans: { start: number; end: number }[] = [];
  const many = inngest.createFunction({ id: "many-steps", triggers: { event: "bench/many" } }, async ({ step }) => {
    for (let i = 0; i < STEPS; i++) {
      await step.run(`step-${i}`, () => {
        spans[i] = { start: performance.now(), end: performance.now() };
        return i;
      });
    }
    return STEPS;
  });
  const one = inngest.createFunction({ id: "one-step", triggers: { event: "bench/one" } }, async ({ step }) => step.run("only", () => 1));
  const app = http.createServer(serve({ client: inngest, functions: [many, one] }));
  await new Promise<void>((resolve) => app.listen(appPort, "127.0.0.1", resolve));
  const executor = await startInngest({
    appUrls: [`http://127.0.0.1:${appPort}/api/inngest`],
    port: executorPort,
    checkpointing,
    log: () => {},
  });
  try {
    await executor.sync();
    const started = performance.now();
    const { ids } = await inngest.send({ name: "bench/many", data: {} });
    await finished(executor, new Set(ids));
    const total = performance.now() - started;
    const gaps = spans.slice(1).map((span, i) => span.start - spans[i]!.end);
    console.log(
      `real SDK, ${STEPS}-step run, ${mode}: ${ms(total)} total = ${ms(total / STEPS)} per step; gap between steps ` +
        `p50 ${ms(percentile(gaps, 50))}, p99 ${ms(percentile(gaps, 99))} ` +
        `(steps 1-10 p50 ${ms(percentile(gaps.slice(0, 10), 50))}, last 10 p50 ${ms(percentile(gaps.slice(-10), 50))})`,
    );

    const sendStarted = performance.now();
    const sent = await inngest.send(Array.from({ length: RUNS }, (_, i) => ({ name: "bench/one", data: { i } })));
    await finished(executor, new Set(sent.ids));
    const seconds = (performance.now() - sendStarted) / 1000;
    console.log(`real SDK, 1-step runs, ${mode}: ${RUNS} in ${seconds.toFixed(2)} s = ${(RUNS / seconds).toFixed(0)} runs/s`);
    return total / STEPS;
  } finally {
    await executor.close();
    await closeServer(app);
  }
}

function finished(executor: InngestDevServer, eventIds: Set<string>): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const done = [...executor.store.runs.values()].filter((r) => eventIds.has(r.event.id) && r.endedAt).length;
      if (done < eventIds.size) return;
      clearInterval(poll);
      resolve();
    }, 2);
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
