import type { CallOptions } from "../../../context/context";
import { callInput, ReplInputError } from "../args";
import type { Command } from "./types";

/** Hard bounds: a bench never runs longer or makes more calls than this, whatever the flags say. */
export const BENCH_MAX_CALLS = 1_000_000;
export const BENCH_MAX_SECONDS = 60;
const DEFAULT_SECONDS = 5;
const MAX_CONCURRENCY = 1000;
const PROGRESS_EVERY_MS = 1000;

export interface BenchSummary {
  calls: number;
  errors: number;
  seconds: number;
  /** ms */
  min: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** Percentile of a sorted list: nearest rank. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(latencies: Float64Array, errors: number, seconds: number): BenchSummary {
  const sorted = latencies.slice().sort();
  let sum = 0;
  for (const ms of sorted) sum += ms;
  return {
    calls: sorted.length,
    errors,
    seconds,
    min: sorted.length ? sorted[0] : 0,
    mean: sorted.length ? sum / sorted.length : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  };
}

function positiveNumber(value: unknown, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  // `--num` with no value (or `--num -3`, which minimist reads as two flags) arrives as `true`.
  const n = typeof value === "number" ? value : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new ReplInputError(`--${flag} needs a positive number; got '${String(value)}'.`);
  return Math.min(n, max);
}

const fmt = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms.toFixed(2));

const bench: Command = {
  name: "bench",
  usage: `bench <action> [params JSON] [--key value …] [--num N | --time S] [--concurrency C]  (at most ${BENCH_MAX_CALLS} calls, ${BENCH_MAX_SECONDS} s)`,
  description: `Call an action N times or for S seconds (${DEFAULT_SECONDS} s by default) and print calls/s and latencies`,
  complete: ["action"],
  async run(args, ctx) {
    const [action, ...rest] = args.positional;
    if (!action) throw new ReplInputError("Usage: " + bench.usage);
    const num = positiveNumber(args.flags.num, "num", BENCH_MAX_CALLS);
    const time = positiveNumber(args.flags.time, "time", BENCH_MAX_SECONDS);
    const concurrency = Math.floor(positiveNumber(args.flags.concurrency, "concurrency", MAX_CONCURRENCY) ?? 1);
    const input = callInput(rest, args.flags, ["num", "time", "concurrency"]);
    const options: CallOptions = { ...(input.options as CallOptions), meta: input.meta };
    const maxCalls = Math.floor(num ?? BENCH_MAX_CALLS);
    const deadlineMs = (time ?? (num === undefined ? DEFAULT_SECONDS : BENCH_MAX_SECONDS)) * 1000;
    const { out, broker } = ctx;

    // One call first: an unknown action or bad params fail here, with the real error, not as N counted errors.
    await broker.call(action, input.params, options);

    const what = num !== undefined ? `${maxCalls} calls` : `${deadlineMs / 1000} s`;
    out.line(out.style.yellow(`>> Benchmarking '${action}' (${what}, concurrency ${concurrency})…`));
    const latencies = new Float64Array(maxCalls);
    let started = 0;
    let done = 0;
    let errors = 0;
    let firstError: unknown;
    const t0 = performance.now();
    let lastProgress = t0;
    const stopAt = t0 + deadlineMs;

    const worker = async () => {
      while (started < maxCalls && performance.now() < stopAt) {
        started++;
        const t = performance.now();
        try {
          await broker.call(action, input.params, options);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
        const now = performance.now();
        latencies[done++] = now - t;
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          const rate = (done / (now - t0)) * 1000;
          out.progress(`   ${done} calls in ${((now - t0) / 1000).toFixed(1)} s, ${Math.round(rate)} calls/s, ${errors} errors`);
          // Local calls resolve in microtasks only: let I/O (the progress line, Ctrl-C) through.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));

    const seconds = (performance.now() - t0) / 1000;
    const s = summarize(latencies.subarray(0, done), errors, seconds);
    const rate = s.calls / seconds;
    out.line(out.style.green(`>> ${s.calls} calls in ${seconds.toFixed(2)} s: ${Math.round(rate).toLocaleString("en-US")} calls/s, ${errors} errors`));
    out.line(`   latency (ms)  min ${fmt(s.min)}  mean ${fmt(s.mean)}  p50 ${fmt(s.p50)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)}`);
    if (firstError !== undefined) out.error(`First error: ${firstError instanceof Error ? `${firstError.name}: ${firstError.message}` : String(firstError)}`);
  },
};

export const benchCommands: Command[] = [bench];
