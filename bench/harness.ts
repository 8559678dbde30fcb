// The benchmark harness: warm-up, repeated timed runs with performance.now, and median/min/max
// summaries. Cases build Figures from these; nothing here passes or fails on speed.

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** How many samples the summary is over. */
  runs: number;
}

/** One reported number: a summary over runs, its unit, and optionally the target it is judged against. */
export interface Figure extends Stat {
  name: string;
  unit: string;
  /** 95th percentile, for latencies. */
  p95?: number;
  /** Human-readable target, e.g. "≤ 3× limit", and whether the median met it. */
  target?: { text: string; met: boolean };
  note?: string;
}

export interface RunOptions {
  /** Untimed runs first (JIT, caches, lazy initialisation). Default 1. */
  warmup?: number;
  /** Timed runs. At least 1. */
  repeats: number;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function summarize(samples: number[]): Stat {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  return { median: percentile(samples, 50), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

/** A single value reported as a figure (a size, a count): min = max = median. */
export function single(value: number): Stat {
  return { median: value, min: value, max: value, runs: 1 };
}

/** Milliseconds per run of `fn`, after `warmup` untimed runs. */
export async function timeRuns(fn: () => unknown, options: RunOptions): Promise<number[]> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Summary of the milliseconds per run of `fn`. */
export async function measure(fn: () => unknown, options: RunOptions): Promise<Stat> {
  return summarize(await timeRuns(fn, options));
}

/**
 * Times `a` and `b` alternately in each repeat and returns the per-repeat ratio a/b with both sides'
 * times: the two run in the same process under the same conditions, so their ratio is comparable.
 */
export async function compare(
  a: () => unknown,
  b: () => unknown,
  options: RunOptions,
): Promise<{ a: Stat; b: Stat; ratio: Stat; samples: { a: number[]; b: number[] } }> {
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    // Alternate which goes first so neither always runs on a warmer cache.
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const times = new Map<() => unknown, number>();
    for (const fn of order) {
      const start = performance.now();
      await fn();
      times.set(fn, performance.now() - start);
    }
    as.push(times.get(a)!);
    bs.push(times.get(b)!);
  }
  return { a: summarize(as), b: summarize(bs), ratio: summarize(as.map((t, i) => t / bs[i])), samples: { a: as, b: bs } };
}

/** Builds a Figure; `target` compares the median with `limit` (`atMost`: lower is better). */
export function figure(
  name: string,
  unit: string,
  stat: Stat,
  extra: { target?: { text: string; atMost?: number; atLeast?: number }; note?: string } = {},
): Figure {
  const out: Figure = { name, unit, ...stat };
  if (extra.target) {
    const { text, atMost, atLeast } = extra.target;
    const met = (atMost === undefined || stat.median <= atMost) && (atLeast === undefined || stat.median >= atLeast);
    out.target = { text, met };
  }
  if (extra.note) out.note = extra.note;
  return out;
}

/** Scales every value of a summary (e.g. ms → s, or per-batch → per-item). */
export function scale(stat: Stat, factor: number): Stat {
  return { median: stat.median * factor, min: stat.min * factor, max: stat.max * factor, runs: stat.runs };
}

/** Turns a time summary into a rate summary (`amount` per second); min and max swap. */
export function rate(ms: Stat, amount: number): Stat {
  const per = (t: number) => (amount * 1000) / t;
  return { median: per(ms.median), min: per(ms.max), max: per(ms.min), runs: ms.runs };
}
