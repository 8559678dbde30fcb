// The machine's memory bandwidth, measured in this process by a large sequential sum over a
// Float32Array, best of several passes: a WASM SIMD sum (the fastest read this engine can do: the
// limit a flat scan is compared with), a plain JS sum, and a native copy for reference.
import { wasmSum } from './wasm-kernels';

export interface Bandwidth {
  /** Best WASM SIMD sequential-sum read rate, bytes per second: the limit. */
  simdSum: number;
  /** Best plain JS sequential-sum read rate (compute-bound, not memory-bound), bytes per second. */
  jsSum: number;
  /** Best native copy rate (`TypedArray.set`), bytes read + written per second. */
  copy: number;
  bytes: number;
}

function sumUnrolled(a: Float32Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = a.length - (a.length % 4);
  for (let i = 0; i < end; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (let i = end; i < a.length; i++) s0 += a[i];
  return s0 + s1 + s2 + s3;
}

/** Milliseconds of the fastest of `repeats` runs, after one warm-up. */
function best(fn: () => unknown, repeats: number): number {
  fn();
  let fastest = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

/** Measures over a buffer of `bytes` (default 256 MB), best of `repeats` passes each. */
export function measureBandwidth(bytes = 256 * 2 ** 20, repeats = 5): Bandwidth {
  const simd = wasmSum(bytes);
  const a = simd.view;
  for (let i = 0; i < a.length; i++) a[i] = (i & 1023) * 1e-3;
  let sink = 0;
  const simdMs = best(() => (sink += simd.sum()), repeats);
  const jsMs = best(() => (sink += sumUnrolled(a)), repeats);
  const b = new Float32Array(a.length);
  const copyMs = best(() => b.set(a), repeats);
  if (Number.isNaN(sink + b[1])) throw new Error('unreachable: keeps the sums alive');
  const read = a.byteLength;
  return { simdSum: read / (simdMs / 1000), jsSum: read / (jsMs / 1000), copy: (2 * read) / (copyMs / 1000), bytes: read };
}
