/* eslint-disable no-console -- a benchmark prints its results */
import "reflect-metadata";
import { ServiceBroker as MoleculerBroker, Errors as MoleculerErrors } from "moleculer";
import type { BrokerOptions as MoleculerOptions, Context as MoleculerContext } from "moleculer";
import { Action, Cached, RequestTimeoutError, Service, ServiceBroker } from "../lib";
import type { BrokerOptions, TraceExporter } from "../lib";
import { assertEqual, CaseResult, median, runCase } from "./harness";

/**
 * Feature cases (single process), nucleon against Moleculer 0.14 with the
 * same options: a cached call (hit), a call with timeout + retry + circuit
 * breaker on, the cost of nucleon's request tracking (on by default), and
 * the cost of metrics (on ÷ off, and against Moleculer with metrics on).
 */

type AB = { a: number; b: number };

/** How often each side's cached handler really ran (a hit must not run it). */
const handlerRuns = { nucleon: 0, moleculer: 0 };

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: AB): number {
    return p.a + p.b;
  }

  @Cached({ keys: ["a", "b"] })
  @Action({ params: false })
  addCached(p: AB): number {
    handlerRuns.nucleon++;
    return p.a + p.b;
  }

  @Action({ params: false })
  async slow(): Promise<number> {
    await new Promise((r) => setTimeout(r, 200));
    return 0;
  }
}

const moleculerMath = {
  name: "math",
  actions: {
    add: (ctx: MoleculerContext<AB>) => ctx.params.a + ctx.params.b,
    addCached: {
      cache: { keys: ["a", "b"] },
      handler: (ctx: MoleculerContext<AB>) => {
        handlerRuns.moleculer++;
        return ctx.params.a + ctx.params.b;
      },
    },
    slow: async () => {
      await new Promise((r) => setTimeout(r, 200));
      return 0;
    },
  },
};

async function nucleonBroker(options: BrokerOptions): Promise<ServiceBroker> {
  const broker = new ServiceBroker({ nodeID: "bench", logger: false, ...options });
  broker.register(MathService);
  await broker.start();
  return broker;
}

async function moleculerBroker(options: MoleculerOptions): Promise<MoleculerBroker> {
  const broker = new MoleculerBroker({ nodeID: "bench", logger: false, ...options });
  broker.createService(moleculerMath);
  await broker.start();
  return broker;
}

const params: AB = { a: 1, b: 2 };
const sumIs3 = (call: () => Promise<unknown>) => async () => assertEqual(await call(), 3, "sum");

function pct(ratio: number): string {
  return `${((1 - ratio) * 100).toFixed(1)} %`;
}

async function main(): Promise<void> {
  console.log(`features: nucleon vs moleculer ${MoleculerBroker.MOLECULER_VERSION}, node ${process.version}`);
  const results: CaseResult[] = [];

  // (a) cached call, hit
  {
    const ours = await nucleonBroker({ cacher: "Memory" });
    const theirs = await moleculerBroker({ cacher: "Memory" });
    const oursCall = () => ours.call("math.addCached", params);
    const theirsCall = () => theirs.call("math.addCached", params);
    // Each check: two calls, the sum is right, and the handler ran at most once (the second was a hit).
    const hitCheck = (call: () => Promise<unknown>, side: keyof typeof handlerRuns) => async () => {
      const before = handlerRuns[side];
      await sumIs3(call)();
      await sumIs3(call)();
      if (handlerRuns[side] - before > 1) throw new Error(`${side}: cached action ran on a cache hit`);
    };
    for (const c of [1, 100]) {
      results.push(
        await runCase(
          `cached call (hit), ${c} in flight`,
          c,
          { name: "nucleon", op: oursCall, check: hitCheck(oursCall, "nucleon") },
          { name: "moleculer", op: theirsCall, check: hitCheck(theirsCall, "moleculer") },
        ),
      );
    }
    const runs = { ...handlerRuns };
    if (runs.nucleon !== 1 || runs.moleculer !== 1) throw new Error(`cached handler runs: ${JSON.stringify(runs)}, expected 1 each`);
    await ours.stop();
    await theirs.stop();
  }

  // (b) timeout + retry + circuit breaker on
  {
    const common = { requestTimeout: 5000, retryPolicy: { enabled: true }, circuitBreaker: { enabled: true } };
    const ours = await nucleonBroker(common);
    const theirs = await moleculerBroker(common);
    const oursCall = () => ours.call("math.add", params);
    const theirsCall = () => theirs.call("math.add", params);
    // The timeout is really on: a slow action with a 20 ms call timeout fails with a timeout error.
    const timesOut = async (call: () => Promise<unknown>, isTimeout: (e: unknown) => boolean) => {
      const err = await call().catch((e: unknown) => e);
      if (!isTimeout(err)) throw new Error(`expected a request timeout, got ${String(err)}`);
    };
    const oursCheck = async () => {
      await sumIs3(oursCall)();
      await timesOut(() => ours.call("math.slow", {}, { timeout: 20, retries: 0 }), (e) => e instanceof RequestTimeoutError);
    };
    const theirsCheck = async () => {
      await sumIs3(theirsCall)();
      await timesOut(
        () => theirs.call("math.slow", {}, { timeout: 20, retries: 0 }),
        (e) => e instanceof MoleculerErrors.RequestTimeoutError,
      );
    };
    for (const c of [1, 100]) {
      results.push(
        await runCase(
          `call + timeout/retry/breaker, ${c} in flight`,
          c,
          { name: "nucleon", op: oursCall, check: oursCheck },
          { name: "moleculer", op: theirsCall, check: theirsCheck },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 250)); // let the slow handlers finish before stop
    await ours.stop();
    await theirs.stop();
  }

  // (c) cost of request tracking: nucleon default (on) against tracking off
  {
    const on = await nucleonBroker({});
    const off = await nucleonBroker({ tracking: { enabled: false } });
    if (!on.tracker.enabled || off.tracker.enabled) throw new Error("tracking flags are not as configured");
    const onCall = () => on.call("math.add", params);
    const offCall = () => off.call("math.add", params);
    for (const c of [1, 100]) {
      const r = await runCase(
        `tracking on vs off, ${c} in flight`,
        c,
        { name: "on ", op: onCall, check: sumIs3(onCall) },
        { name: "off", op: offCall, check: sumIs3(offCall) },
      );
      console.log(`  → tracking costs ${pct(median(r.ratios))} of the local call rate (target ≤ 15 %)`);
      results.push(r);
    }
    await on.stop();
    await off.stop();

    // For context: Moleculer's own tracking (off by default there) + metrics.
    const mOff = await moleculerBroker({});
    const mOn = await moleculerBroker({ tracking: { enabled: true }, metrics: { enabled: true } });
    const mOnCall = () => mOn.call("math.add", params);
    const mOffCall = () => mOff.call("math.add", params);
    const r = await runCase(
      "moleculer tracking+metrics on vs off, 1",
      1,
      { name: "on ", op: mOnCall, check: sumIs3(mOnCall) },
      { name: "off", op: mOffCall, check: sumIs3(mOffCall) },
    );
    console.log(`  → (context) Moleculer tracking + metrics cost ${pct(median(r.ratios))}`);
    await mOn.stop();
    await mOff.stop();
  }

  // (d) cost of metrics: nucleon with metrics on against off (target ≤ 15 %), and against Moleculer with metrics on (target ≥ 3×)
  {
    const on = await nucleonBroker({ metrics: true });
    const off = await nucleonBroker({});
    if (on.metrics === null || off.metrics !== null) throw new Error("metrics flags are not as configured");
    const onCall = () => on.call("math.add", params);
    const offCall = () => off.call("math.add", params);
    // The metric really moves: a check call adds to math.add's request counter.
    const counted = async () => {
      const total = async () => Number(/moleculer_request_total\{[^}]*action="math.add"[^}]*\} (\d+)/.exec(await on.metrics!.text())?.[1] ?? 0);
      const before = await total();
      await sumIs3(onCall)();
      if ((await total()) !== before + 1) throw new Error("metrics on: math.add's request counter did not move");
    };
    for (const c of [1, 100]) {
      const r = await runCase(
        `metrics on vs off, ${c} in flight`,
        c,
        { name: "on ", op: onCall, check: counted },
        { name: "off", op: offCall, check: sumIs3(offCall) },
      );
      console.log(`  → metrics cost ${pct(median(r.ratios))} of the local call rate (target ≤ 15 %)`);
      results.push(r);
    }

    // The same with every call timed (no sample-and-hold): what the clock reads cost.
    const everyCall = await nucleonBroker({ metrics: { timeEvery: 1 } });
    const everyCallCall = () => everyCall.call("math.add", params);
    for (const c of [1, 100]) {
      const r = await runCase(
        `metrics (timeEvery 1) on vs off, ${c} in flight`,
        c,
        { name: "on ", op: everyCallCall, check: sumIs3(everyCallCall) },
        { name: "off", op: offCall, check: sumIs3(offCall) },
      );
      console.log(`  → metrics timing every call cost ${pct(median(r.ratios))} of the local call rate`);
      results.push(r);
    }
    await everyCall.stop();

    const theirs = await moleculerBroker({ metrics: { enabled: true } });
    const theirsCall = () => theirs.call("math.add", params);
    for (const c of [1, 100]) {
      const r = await runCase(
        `call with metrics on, ${c} in flight`,
        c,
        { name: "nucleon", op: onCall, check: counted },
        { name: "moleculer", op: theirsCall, check: sumIs3(theirsCall) },
      );
      console.log(`  → nucleon ×${median(r.ratios).toFixed(2)} Moleculer with metrics on (target ≥ 3×)`);
      results.push(r);
    }
    await on.stop();
    await off.stop();
    await theirs.stop();
  }

  await tracingCases(results);
}

/** Takes every span and sends it nowhere: the cost measured is nucleon's span recording and batching, not a network's. */
class NoopExporter implements TraceExporter {
  spans = 0;
  export(spans: unknown[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * (d) tracing: on (rate 1.0 and 0.1, a no-op exporter behind the batch
 * processor) against the same broker with it off, and against Moleculer
 * 0.14 with its tracing on at the same rate (its spans go to no exporter).
 * Targets: rate 1.0 costs ≤ 30 % of the local call rate; ≥ 3× Moleculer.
 */
async function tracingCases(results: CaseResult[]): Promise<void> {
  const off = await nucleonBroker({});
  const offCall = () => off.call("math.add", params);
  for (const rate of [1, 0.1]) {
    const exporter = new NoopExporter();
    const on = await nucleonBroker({ tracing: { exporter, sampling: { rate } } });
    const theirs = await moleculerBroker({ tracing: { enabled: true, sampling: { rate } } });
    const onCall = () => on.call("math.add", params);
    const theirsCall = () => theirs.call("math.add", params);
    // Tracing is really on: after a few calls and a flush the exporter got spans.
    const traced = async () => {
      for (let i = 0; i < 10; i++) await sumIs3(onCall)();
      await on.tracer!.flush();
      if (exporter.spans === 0) throw new Error("tracing on, but no span reached the exporter");
    };
    const theirsTraced = async () => {
      await sumIs3(theirsCall)();
      if (!theirs.isTracingEnabled()) throw new Error("moleculer tracing is off");
    };
    for (const c of [1, 100]) {
      const r = await runCase(
        `tracing rate ${rate.toFixed(1)} on vs off, ${c} in flight`,
        c,
        { name: "on ", op: onCall, check: traced },
        { name: "off", op: offCall, check: sumIs3(offCall) },
      );
      console.log(`  → tracing at rate ${rate} costs ${pct(median(r.ratios))} of the local call rate (target at 1.0: ≤ 30 %)`);
      results.push(r);
      results.push(
        await runCase(
          `tracing rate ${rate.toFixed(1)}: nucleon vs moleculer, ${c} in flight`,
          c,
          { name: "nucleon", op: onCall, check: traced },
          { name: "moleculer", op: theirsCall, check: theirsTraced },
        ),
      );
    }
    await on.stop();
    await theirs.stop();
  }
  await off.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
