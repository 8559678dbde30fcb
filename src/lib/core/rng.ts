// Seeded pseudo-random numbers (mulberry32): every random choice in the app goes through an Rng, so the same seed
// gives the same datasets, splits and samples in every JS engine (only 32-bit integer arithmetic is used).

/** A deterministic stream of random numbers. */
export interface Rng {
  /** The 32-bit seed this stream started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, n), without modulo bias. `n`: integer, 1..2^32. */
  int(n: number): number;
  /** A shuffled copy of `items` (Fisher–Yates); `items` is left as it was. */
  shuffle<T>(items: readonly T[]): T[];
  /** `k` distinct items of `items` (by position), in random order. `k`: integer, 0..items.length. */
  sample<T>(items: readonly T[], k: number): T[];
  /**
   * An independent stream derived from this stream's seed and `label` only: the draws made so far do not matter,
   * so adding draws in one place never changes the numbers another place gets.
   */
  fork(label: string): Rng;
}

const TWO_32 = 4294967296;

/** 32-bit FNV-1a over UTF-16 code units, finished with a murmur3 mix so nearby labels spread out. */
function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seeded stream. A number seed must be an integer (it is taken modulo 2^32; negatives allowed);
 * a string seed is hashed to 32 bits.
 * @throws RangeError when a number seed is not a finite integer.
 */
export function createRng(seed: number | string): Rng {
  if (typeof seed === 'string') return new Mulberry32(hash32(seed));
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number or a string; got ${seed}`);
  return new Mulberry32(seed >>> 0);
}

class Mulberry32 implements Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed;
  }

  /** The next 32-bit unsigned integer. */
  private nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_32;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`int(n) needs a whole number n from 1 to 2^32; got ${n}`);
    // NOTE: rejection sampling keeps every value equally likely; at most half the draws are rejected.
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isInteger(k) || k < 0 || k > items.length) {
      throw new RangeError(`sample(items, k) needs a whole number k from 0 to ${items.length} (the number of items); got ${k}`);
    }
    const pool = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + this.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, k);
  }

  fork(label: string): Rng {
    return new Mulberry32(hash32(label, hash32(String(this.seed)) ^ 0x9e3779b9));
  }
}
