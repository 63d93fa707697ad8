/* eslint-disable no-console -- a benchmark prints its results */
/**
 * Side-by-side measurement: each case runs nucleon and Moleculer in
 * alternating rounds (never at once), each round a warm-up, a GC if exposed,
 * then a timed loop. Reports median ops/s, range, and the per-round ratio.
 */
export type Op = () => Promise<unknown>;

export interface Contender {
  name: string;
  op: Op;
  /** Checks one result, so a broken path cannot look fast. */
  check?: () => Promise<void>;
  /**
   * CPU time (µs) used so far by everything this contender runs on (e.g.
   * this process plus its responder process): runMulti reports CPU per op,
   * which a shared, loaded machine disturbs far less than ops/s.
   */
  cpu?: () => Promise<number>;
}

export interface CaseResult {
  name: string;
  results: Record<string, number[]>;
  ratios: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * `batch` ops per worker between clock reads: 256 keeps the clock off a local
 * call's path; remote cases use 1 so 100 workers do not leave a long tail.
 * With `latencies`, each op's duration (µs) is recorded (sequential remote cases).
 */
async function timedLoop(op: Op, concurrency: number, ms: number, batch = 256, latencies?: number[]): Promise<number> {
  return (await countedLoop(op, concurrency, ms, batch, latencies)).rate;
}

async function countedLoop(
  op: Op,
  concurrency: number,
  ms: number,
  batch: number,
  latencies?: number[],
): Promise<{ rate: number; count: number }> {
  let count = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (true) {
      for (let i = 0; i < batch; i++) {
        if (latencies) {
          const t = performance.now();
          await op();
          latencies.push((performance.now() - t) * 1000);
        } else await op();
        count++;
      }
      if (performance.now() >= end) return;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { rate: (count / (performance.now() - start)) * 1000, count };
}

export interface RunOptions {
  rounds: number;
  ms: number;
  warmupMs: number;
}

export const DEFAULTS: RunOptions = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  ms: Number(process.env.BENCH_MS ?? 1000),
  warmupMs: Number(process.env.BENCH_WARMUP_MS ?? 300),
};

export async function runCase(
  name: string,
  concurrency: number,
  ours: Contender,
  theirs: Contender,
  options: RunOptions = DEFAULTS,
): Promise<CaseResult> {
  for (const c of [ours, theirs]) await c.check?.();
  const results: Record<string, number[]> = { [ours.name]: [], [theirs.name]: [] };
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Alternate who goes first so drift does not favour one side.
    const order = round % 2 === 0 ? [ours, theirs] : [theirs, ours];
    const got: Record<string, number> = {};
    for (const c of order) {
      await timedLoop(c.op, concurrency, options.warmupMs);
      gc?.();
      got[c.name] = await timedLoop(c.op, concurrency, options.ms);
      results[c.name].push(got[c.name]);
    }
    ratios.push(got[ours.name] / got[theirs.name]);
  }
  const res = { name, results, ratios };
  report(res, ours.name, theirs.name);
  return res;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fmt(opsPerSec: number): string {
  return opsPerSec >= 1e6 ? `${(opsPerSec / 1e6).toFixed(2)} M/s` : `${(opsPerSec / 1e3).toFixed(1)} k/s`;
}

function report(r: CaseResult, ours: string, theirs: string): void {
  const a = r.results[ours];
  const b = r.results[theirs];
  const range = (v: number[]) => `${fmt(Math.min(...v))}–${fmt(Math.max(...v))}`;
  console.log(
    `${r.name.padEnd(44)} ${ours} ${fmt(median(a)).padStart(10)} (${range(a)})  ${theirs} ${fmt(median(b)).padStart(10)} (${range(b)})  ratio ×${median(r.ratios).toFixed(2)} [${Math.min(...r.ratios).toFixed(2)}–${Math.max(...r.ratios).toFixed(2)}]`,
  );
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// ── several contenders (remote cases: nucleon, Moleculer, the floor, per codec) ──

export interface MultiOptions extends RunOptions {
  /** Ops per worker between clock reads (see timedLoop). */
  batch?: number;
  /** Record per-op latency (µs) and report p50 (sensible at concurrency 1). */
  latency?: boolean;
}

export interface MultiResult {
  name: string;
  concurrency: number;
  /** Contender → ops/s per round. */
  results: Record<string, number[]>;
  /** Contender → p50 latency (µs) per round, when measured. */
  p50: Record<string, number[]>;
  /** Contender → CPU µs per op per round, for contenders with `cpu`. */
  cpuPerOp: Record<string, number[]>;
  /** `a / b` of the same round, for every ordered pair: ratio(a, b)[round]. */
  ratio(a: string, b: string): number[];
}

/**
 * Like runCase for any number of contenders: each round runs every contender
 * once (one at a time, the starting one rotating per round), so every ratio
 * compares numbers from the same round.
 */
export async function runMulti(name: string, concurrency: number, contenders: Contender[], options: MultiOptions): Promise<MultiResult> {
  for (const c of contenders) await c.check?.();
  const results: Record<string, number[]> = {};
  const p50: Record<string, number[]> = {};
  const cpuPerOp: Record<string, number[]> = {};
  for (const c of contenders) {
    results[c.name] = [];
    p50[c.name] = [];
    cpuPerOp[c.name] = [];
  }
  const n = contenders.length;
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < n; k++) {
      const c = contenders[(round + k) % n];
      await timedLoop(c.op, concurrency, options.warmupMs, options.batch);
      gc?.();
      const latencies = options.latency ? [] : undefined;
      const cpuBefore = await c.cpu?.();
      const { rate, count } = await countedLoop(c.op, concurrency, options.ms, options.batch ?? 256, latencies);
      const cpuAfter = await c.cpu?.();
      results[c.name].push(rate);
      if (latencies) p50[c.name].push(median(latencies));
      if (cpuBefore !== undefined && cpuAfter !== undefined) cpuPerOp[c.name].push((cpuAfter - cpuBefore) / count);
    }
  }
  return {
    name,
    concurrency,
    results,
    p50,
    cpuPerOp,
    ratio: (a, b) => results[a].map((v, i) => v / results[b][i]),
  };
}

/** `×1.23 [1.10–1.40]`: the median of per-round ratios and their range. */
export function fmtRatio(ratios: number[]): string {
  if (ratios.length === 0) return "—";
  return `×${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`;
}

/** `3.6 k/s (3.4 k/s–3.9 k/s)`: median and range. */
export function fmtRate(values: number[]): string {
  return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}
