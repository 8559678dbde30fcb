// Small vector kernels and an exact top-k selection used by every engine.
import { SCAN_WASM } from './scan-wasm.generated';
import type { VectorHit } from './types';

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[bOffset + i];
  return sum;
}

/** Scales `v` to unit length in place (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/**
 * Keeps the k best (highest score) of a stream: a min-heap of size k, O(n log k).
 * Ties break by id so every engine orders equal scores the same way.
 */
export class TopK {
  private readonly scores: number[] = [];
  private readonly ids: string[] = [];
  constructor(private readonly k: number) {}

  /** Whether `score` would enter the current top k (cheap pre-check before building an id). */
  admits(score: number): boolean {
    return this.k > 0 && (this.scores.length < this.k || score > this.scores[0]);
  }

  push(id: string, score: number): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.ids.push(id);
      this.up(this.scores.length - 1);
    } else if (this.better(score, id, this.scores[0], this.ids[0])) {
      this.scores[0] = score;
      this.ids[0] = id;
      this.down(0);
    }
  }

  /** Best first. */
  result(): VectorHit[] {
    return this.ids
      .map((id, i) => ({ id, score: this.scores[i] }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private better(sa: number, ia: string, sb: number, ib: string): boolean {
    return sa > sb || (sa === sb && ia < ib);
  }
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(this.scores[p], this.ids[p], this.scores[i], this.ids[i])) break;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < n && this.better(this.scores[worst], this.ids[worst], this.scores[l], this.ids[l])) worst = l;
      if (r < n && this.better(this.scores[worst], this.ids[worst], this.scores[r], this.ids[r])) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
  private swap(a: number, b: number): void {
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
  }
}

/**
 * A compiled WebAssembly SIMD scan over its own memory: `scan` writes `out[row] = data[row] · query` (float32).
 * Its source is scan.wat; `npm run wasm` regenerates the bytes in scan-wasm.generated.ts.
 */
export interface SimdScan {
  memory: WebAssembly.Memory;
  /** Byte offsets into `memory`; `rowBytes` is a multiple of 64 (dim a multiple of 16). */
  scan(data: number, rows: number, rowBytes: number, query: number, out: number): void;
}

let simdModule: WebAssembly.Module | null | undefined;

/**
 * A SIMD scan with a memory of at least `bytes`, or null where WebAssembly SIMD is missing or compiling
 * is not allowed (the caller then scans in JS). The module (about 300 bytes) is compiled once.
 */
export function simdScan(bytes: number): SimdScan | null {
  if (simdModule === undefined) simdModule = compileScan();
  if (!simdModule) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new WebAssembly.Instance(simdModule, { env: { memory } });
  return { memory, scan: instance.exports.scan as SimdScan['scan'] };
}

function compileScan(): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly === 'undefined') return null;
    return WebAssembly.validate(SCAN_WASM) ? new WebAssembly.Module(SCAN_WASM) : null;
  } catch {
    // NOTE: a Content-Security-Policy without 'wasm-unsafe-eval' forbids compiling: the JS scan serves.
    return null;
  }
}
