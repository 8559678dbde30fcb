import { expect, test } from 'vitest';
import { dot, normalize } from '../../src/lib/core/retrieval/vector-math';
import { createRng } from '../../src/lib/core/rng';
import { Retriever } from '../../src/lib/workers/corpus/retriever';

function unitVectors(count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) out[i * dim + (i % dim)] = 1;
  return out;
}

/** `count` seeded random unit vectors: no two score alike against a query, so an answer is its ids in order. */
function randomUnitVectors(count: number, dim: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count * dim).map(() => rng.next() * 2 - 1);
  for (let i = 0; i < count; i++) normalize(out.subarray(i * dim, (i + 1) * dim));
  return out;
}

test('above the voy limit the flat engine takes over automatically, says so, and answers as voy does', () => {
  const dim = 8;
  const ids = [...Array.from({ length: 80 }, (_, i) => `a${i}`), ...Array.from({ length: 40 }, (_, i) => `b${i}`)];
  const vectors = randomUnitVectors(120, dim, 1);
  const query = randomUnitVectors(1, dim, 2);
  /** The exact top 5 over the first `n` vectors, best first. */
  const exact = (n: number) =>
    ids.slice(0, n).map((id, i) => ({ id, score: dot(query, vectors, i * dim) })).sort((x, y) => y.score - x.score).slice(0, 5);
  const auto = new Retriever(100);
  const voy = new Retriever(100);
  voy.setEngine('voy');
  const add = (from: number, to: number) => {
    for (const r of [auto, voy]) r.addVectors(ids.slice(from, to), vectors.slice(from * dim, to * dim), dim);
  };
  const answer = (r: Retriever) => r.search('', 'dense', 5, query);

  add(0, 80);
  expect(auto.engineStatus()).toEqual({ engine: 'voy', reason: 'voy (default up to 100 chunks)' });
  expect(answer(auto).map((h) => h.chunkId)).toEqual(exact(80).map((h) => h.id));
  add(80, 120);
  expect(auto.engineStatus().engine).toBe('flat');
  expect(auto.engineStatus().reason).toMatch(/120 chunks is above voy's 100 limit/);
  const after = answer(auto);
  // The chunks added past the limit are searched too: one of them is among the best five.
  expect(after.map((h) => h.chunkId)).toEqual(exact(120).map((h) => h.id));
  expect(after.some((h) => h.chunkId.startsWith('b'))).toBe(true);
  const fromVoy = answer(voy);
  expect(after.map((h) => h.chunkId)).toEqual(fromVoy.map((h) => h.chunkId));
  after.forEach((hit, i) => expect(hit.score).toBeCloseTo(fromVoy[i].score, 6));
  expect(auto.vectorCount).toBe(120);
});

test('an engine chosen in Settings is kept whatever the size', () => {
  const retriever = new Retriever(10);
  retriever.setEngine('voy');
  retriever.addVectors(Array.from({ length: 20 }, (_, i) => `c${i}`), unitVectors(20, 4), 4);
  expect(retriever.engineStatus()).toEqual({ engine: 'voy', reason: 'voy chosen in Settings' });
  retriever.setEngine('flat');
  expect(retriever.engineStatus().engine).toBe('flat');
  expect(retriever.search('', 'dense', 3, unitVectors(1, 4))).toHaveLength(3);
});
