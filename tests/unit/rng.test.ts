import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/lib/core/rng';

const draws = (seed: number | string, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('createRng', () => {
  test('matches the published mulberry32 sequence for seed 42 (same numbers in every engine)', () => {
    expect(draws(42, 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  test('same seed gives the same sequence; different seeds differ', () => {
    expect(draws(7, 50)).toEqual(draws(7, 50));
    expect(draws('sample-wiki', 20)).toEqual(draws('sample-wiki', 20));
    expect(draws(7, 20)).not.toEqual(draws(8, 20));
    expect(draws('a', 20)).not.toEqual(draws('b', 20));
  });

  test('rejects a seed that is not a whole number', () => {
    expect(() => createRng(1.5)).toThrow(/whole number/);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(createRng(-1).seed).toBe(4294967295);
  });

  test('next() stays in [0, 1) and is roughly uniform', () => {
    const values = draws(123, 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const buckets = new Array(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });

  test('int(n) covers 0..n-1 evenly and rejects bad n', () => {
    const rng = createRng(5);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    expect(createRng(1).int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(/1 to 2\^32/);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  test('shuffle returns a new permutation and leaves the input alone', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = createRng(9).shuffle(items);
    expect(shuffled).not.toBe(items);
    expect(items).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(createRng(9).shuffle(items)).toEqual(shuffled);
    expect(createRng(9).shuffle([])).toEqual([]);
  });

  test('shuffle puts each item in each position about equally often', () => {
    const rng = createRng(11);
    const firsts = new Array(4).fill(0);
    for (let i = 0; i < 40_000; i++) firsts[rng.shuffle([0, 1, 2, 3])[0]]++;
    for (const count of firsts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  test('sample draws k distinct items and checks k', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const rng = createRng(3);
    for (let k = 0; k <= items.length; k++) {
      const picked = rng.sample(items, k);
      expect(picked).toHaveLength(k);
      expect(new Set(picked).size).toBe(k);
      for (const item of picked) expect(items).toContain(item);
    }
    expect(() => rng.sample(items, 7)).toThrow(/0 to 6/);
    expect(() => rng.sample(items, -1)).toThrow(RangeError);
  });

  test('fork depends only on the seed and the label, not on draws made before', () => {
    const a = createRng(42);
    const b = createRng(42);
    for (let i = 0; i < 10; i++) b.next();
    expect(draws(a.fork('pair-1').seed, 5)).toEqual(draws(b.fork('pair-1').seed, 5));
    const forkA = a.fork('pair-1');
    const forkB = b.fork('pair-1');
    expect([forkA.next(), forkA.next()]).toEqual([forkB.next(), forkB.next()]);
    expect(a.fork('pair-1').seed).not.toBe(a.fork('pair-2').seed);
    expect(createRng(43).fork('pair-1').seed).not.toBe(a.fork('pair-1').seed);
    // Drawing from a fork does not move the parent.
    const parent = createRng(1);
    const child = parent.fork('x');
    child.next();
    expect(parent.next()).toBe(createRng(1).next());
  });
});
