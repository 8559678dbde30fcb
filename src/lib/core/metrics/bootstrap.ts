// Seeded bootstrap confidence intervals for the mean of per-question scores.
import { createRng } from '../rng';

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

/** Percentile bootstrap; `confidence` 0.5..0.999 (default 0.95), `resamples` 100..100000 (default 2000). */
export function bootstrapMean(values: number[], seed: number, resamples = 2000, confidence = 0.95): Interval {
  const n = values.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.int(n)];
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))];
  return { mean, low: at(tail), high: at(1 - tail) };
}
