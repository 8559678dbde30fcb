// Seeded random unit vectors, the exact brute-force reference top-k, and recall against it.
import { createRng } from '../../src/lib/core/rng';

/** `n` random unit vectors of `dim` values, row-major, the same for the same seed. */
export function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const data = new Float32Array(n * dim);
  for (let row = 0; row < n; row++) {
    const offset = row * dim;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = rng.next() * 2 - 1;
      data[offset + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) data[offset + j] /= norm;
  }
  return data;
}

export function rowIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `c_${i.toString(36).padStart(6, '0')}`);
}

/** Row numbers of the k highest dot products, best first, accumulated in float64: the ground truth. */
export function exactTopK(data: Float32Array, dim: number, query: Float32Array, k: number): number[] {
  const n = data.length / dim;
  const rows: number[] = [];
  const scores: number[] = [];
  for (let row = 0; row < n; row++) {
    let score = 0;
    for (let j = 0, offset = row * dim; j < dim; j++) score += query[j] * data[offset + j];
    if (rows.length === k && score <= scores[k - 1]) continue;
    let at = rows.length === k ? k - 1 : rows.length;
    while (at > 0 && scores[at - 1] < score) {
      scores[at] = scores[at - 1];
      rows[at] = rows[at - 1];
      at--;
    }
    scores[at] = score;
    rows[at] = row;
  }
  return rows;
}

/** Fraction of `truth` found in `found`. */
export function recall(found: readonly string[], truth: readonly string[]): number {
  const set = new Set(found);
  return truth.filter((id) => set.has(id)).length / truth.length;
}

/** Resident set size in bytes after full GCs (when the process runs with --expose-gc) and a pause for freed buffers. */
export async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  return process.memoryUsage().rss;
}
