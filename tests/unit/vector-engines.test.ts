import { describe, expect, test } from 'vitest';
import { createRng } from '../../src/lib/core/rng';
import { FlatIndex } from '../../src/lib/core/retrieval/flat-index';
import { normalize, TopK } from '../../src/lib/core/retrieval/vector-math';
import { VoyIndex } from '../../src/lib/workers/index/voy-index';

/** Deterministic unit vectors (the app's seeded rng), so a failure reproduces. */
function randomVectors(count: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const rand = () => rng.next() - 0.5;
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) normalize(out.subarray(i * dim, (i + 1) * dim).map(rand) as Float32Array).forEach((v, j) => (out[i * dim + j] = v));
  return out;
}

function bruteForce(ids: string[], vectors: Float32Array, dim: number, query: Float32Array, k: number) {
  return ids
    .map((id, i) => ({ id, score: vectors.subarray(i * dim, (i + 1) * dim).reduce((s, v, j) => s + v * query[j], 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

describe('voy and the flat scan agree on top-k', () => {
  const dim = 32;
  const count = 2000;
  const ids = Array.from({ length: count }, (_, i) => `c_${i}`);
  const vectors = randomVectors(count, dim, 7);
  const flat = new FlatIndex(dim);
  const voy = new VoyIndex(dim);
  flat.upsert(ids, vectors);
  voy.upsert(ids, vectors);
  const queries = randomVectors(25, dim, 99);

  test('for 25 random queries at k = 10, the same ids in the same order, with the exact scores', () => {
    for (let q = 0; q < 25; q++) {
      const query = queries.subarray(q * dim, (q + 1) * dim);
      const expected = bruteForce(ids, vectors, dim, query, 10);
      const fromFlat = flat.search(query, 10);
      const fromVoy = voy.search(query, 10);
      expect(fromFlat.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      expect(fromVoy.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      fromVoy.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 5));
    }
  });

  test('removing and replacing vectors is reflected by both', () => {
    const query = queries.subarray(0, dim);
    const best = flat.search(query, 1)[0].id;
    flat.remove([best]);
    voy.remove([best]);
    expect(flat.search(query, 5).map((h) => h.id)).not.toContain(best);
    expect(voy.search(query, 5).map((h) => h.id)).toEqual(flat.search(query, 5).map((h) => h.id));
    // Re-adding the query itself as a vector makes it the top hit with score 1.
    flat.upsert(['exact'], query);
    voy.upsert(['exact'], query);
    expect(flat.search(query, 1)[0]).toMatchObject({ id: 'exact' });
    expect(voy.search(query, 1)[0].id).toBe('exact');
    expect(voy.search(query, 1)[0].score).toBeCloseTo(1, 5);
    expect(flat.size).toBe(count);
  });
});

test('the flat scan is exact for any dimension and row count (its four-row blocks and pairs have remainders)', () => {
  for (const [dim, rows] of [[3, 301], [7, 302], [37, 303], [384, 300]]) {
    const ids = Array.from({ length: rows }, (_, i) => `c_${i}`);
    const vectors = randomVectors(ids.length, dim, dim);
    const flat = new FlatIndex(dim);
    flat.upsert(ids, vectors);
    const query = randomVectors(1, dim, 1000 + dim);
    const expected = bruteForce(ids, vectors, dim, query, 10);
    const hits = flat.search(query, 10);
    expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 12));
    // The last row (past the last block of four) finds itself with score 1.
    const own = flat.search(vectors.subarray((rows - 1) * dim, rows * dim), 1)[0];
    expect(own.id).toBe(ids[rows - 1]);
    expect(own.score).toBeCloseTo(1, 6);
  }
});

test('the WebAssembly SIMD scan gives exactly the JS scan’s hits and scores, near-ties included', () => {
  const dim = 64;
  const base = randomVectors(400, dim, 5);
  // Near-duplicates a float32 rounding apart, so the float32 pre-scan alone would order them wrongly.
  const vectors = new Float32Array(800 * dim);
  vectors.set(base);
  for (let i = 0; i < base.length; i++) vectors[base.length + i] = base[i] * (1 + ((i % 3) - 1) * 2 ** -23);
  const ids = Array.from({ length: 800 }, (_, i) => `c_${i}`);
  // Capacity 1 makes every upsert reallocate, so the wasm storage is rebuilt many times.
  const simd = new FlatIndex(dim, 1);
  const js = new FlatIndex(dim, 1, { simd: false });
  for (let start = 0; start < 800; start += 100) {
    simd.upsert(ids.slice(start, start + 100), vectors.subarray(start * dim, (start + 100) * dim));
    js.upsert(ids.slice(start, start + 100), vectors.subarray(start * dim, (start + 100) * dim));
  }
  expect(simd.accelerated).toBe(true);
  expect(js.accelerated).toBe(false);
  const queries = [...Array.from({ length: 20 }, (_, q) => randomVectors(1, dim, 300 + q)), base.subarray(7 * dim, 8 * dim)];
  for (const query of queries) for (const k of [1, 10, 50]) expect(simd.search(query, k)).toEqual(js.search(query, k));
  simd.remove(ids.slice(0, 350));
  js.remove(ids.slice(0, 350));
  for (const query of queries) expect(simd.search(query, 10)).toEqual(js.search(query, 10));
  expect(simd.search(queries[0], 1000)).toHaveLength(450);
  expect(simd.search(queries[0], 0)).toEqual([]);
});

test('TopK keeps the k highest and orders ties by id', () => {
  const top = new TopK(3);
  [['b', 0.5], ['a', 0.5], ['c', 0.9], ['d', 0.1], ['e', 0.7]].forEach(([id, s]) => top.push(id as string, s as number));
  expect(top.result().map((h) => h.id)).toEqual(['c', 'e', 'a']);
});

test('an empty index returns no hits', () => {
  expect(new FlatIndex(4).search(new Float32Array(4), 5)).toEqual([]);
  expect(new VoyIndex(4).search(new Float32Array(4), 5)).toEqual([]);
});
