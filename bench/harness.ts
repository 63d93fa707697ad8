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
}

export interface CaseResult {
  name: string;
  results: Record<string, number[]>;
  ratios: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;

async function timedLoop(op: Op, concurrency: number, ms: number): Promise<number> {
  let count = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (true) {
      for (let i = 0; i < 256; i++) {
        await op();
        count++;
      }
      if (performance.now() >= end) return;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (count / (performance.now() - start)) * 1000;
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

function fmt(opsPerSec: number): string {
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
