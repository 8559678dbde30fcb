// Seeded random numbers for tiny-model weights, bit-identical in every JS engine:
// integer arithmetic only (no Math.log/Math.cos), rounded to float32 once.

/** A seeded source of uniform and normal draws. */
export interface Rng {
  /** Uniform in [0, 1), a multiple of 2^-32. */
  uniform(): number;
  /** Approximately N(0, 1), rounded to float32. */
  normal(): number;
}

/**
 * Creates a mulberry32 generator. Each draw is a 32-bit integer from
 * `Math.imul` and shifts, so every engine produces the same sequence.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Irwin–Hall: the sum of 12 uniforms minus 6 has mean 0 and variance 1.
  // NOTE: every partial sum is exact in float64 (12 values of 32 bits each), so no
  // engine-dependent rounding happens before the single Math.fround.
  const normal = (): number => {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += uniform();
    return Math.fround(sum - 6);
  };
  return { uniform, normal };
}

/** Fills a new float32 array with `size` draws from N(0, std²). */
export function normalArray(rng: Rng, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
  return out;
}
